package dev.trustledger.command.engagement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.trustledger.command.engagement.IncidentType.Field;
import dev.trustledger.events.Party;
import dev.trustledger.events.outcome.Ending;
import dev.trustledger.events.outcome.RenewalDecision;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * One incident as the command API takes it. Which of the type-specific fields are needed
 * or accepted depends on {@link IncidentType}; {@link #typeProblems()} lists the misses.
 *
 * @param incidentId the caller's id of the incident, also its idempotency key
 * @param occurredAt when it happened in the business; may be in the past
 * @param decision what the client decided, for {@code RENEWAL_DECIDED}
 * @param ending how the engagement ended, for {@code ENGAGEMENT_ENDED}
 * @param person who on the client's side, for {@code STAKEHOLDER_ENGAGED} and
 * {@code STAKEHOLDER_LOST}
 */
@IncidentTypeRules
public record IncidentRequest(@NotNull UUID incidentId, @NotNull IncidentType type, Party party,
		@Min(1) @Max(5) Integer severity, @NotNull @BusinessTime Instant occurredAt,
		@Size(max = 2000) @PlainText(multiline = true) String note,
		@Size(max = 64) @Pattern(regexp = EngagementCommands.PROMISE_ID_PATTERN) String promiseId,
		@BusinessTime Instant dueBy, @Size(min = 1, max = 200) @PlainText String sponsor, UUID incidentRef,
		RenewalDecision decision, Ending ending, @Size(min = 1, max = 200) @PlainText String person) {

	/**
	 * Field errors that depend on the type: missing required fields, fields the type does
	 * not take.
	 */
	List<FieldProblem> typeProblems() {
		List<FieldProblem> problems = new ArrayList<>();
		if (this.type == null) {
			return problems;
		}
		for (Field field : Field.values()) {
			boolean present = valueOf(field) != null;
			if (!present && this.type.required().contains(field)) {
				problems.add(new FieldProblem(field.json(), "is required for " + this.type));
			}
			if (present && !this.type.accepted().contains(field)) {
				problems.add(new FieldProblem(field.json(), "is not used by " + this.type));
			}
		}
		if (this.type.impliedParty() != null && this.party != null && this.party != this.type.impliedParty()) {
			problems.add(new FieldProblem("party", "must be " + this.type.impliedParty() + " for " + this.type));
		}
		return problems;
	}

	private Object valueOf(Field field) {
		return switch (field) {
			case PARTY -> this.party;
			case SEVERITY -> this.severity;
			case PROMISE_ID -> this.promiseId;
			case DUE_BY -> this.dueBy;
			case SPONSOR -> this.sponsor;
			case INCIDENT_REF -> this.incidentRef;
			case DECISION -> this.decision;
			case ENDING -> this.ending;
			case PERSON -> this.person;
		};
	}

	String incidentRefText() {
		return (this.incidentRef != null) ? this.incidentRef.toString() : null;
	}

	/** A request field at fault and what is wrong with it. */
	record FieldProblem(String field, String message) {
	}

}
