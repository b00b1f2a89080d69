package dev.trustledger.command.engagement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.engagement.OpenEngagement;
import dev.trustledger.events.promise.BreakPromise;
import dev.trustledger.events.promise.PromiseBroken;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.getVersion;

/**
 * One client engagement and the rules for recording what happens in it. Command handlers
 * check a rule, then apply an event; state changes only in the event-sourcing handlers.
 * "Now" comes from the injected {@link Clock}, never from the wall clock.
 */
@Aggregate
class Engagement {

	/**
	 * How far ahead of "now" an occurred-at may be, to allow for clock skew between
	 * callers.
	 */
	static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

	@AggregateIdentifier
	private String engagementId;

	private Instant openedAt;

	private final Set<String> incidentIds = new HashSet<>();

	Engagement() {
		// for Axon
	}

	@CommandHandler
	Engagement(OpenEngagement command, Clock clock) {
		requireNotInFuture(command.openedAt(), clock, "openedAt");
		apply(new EngagementOpened(command.engagementId(), command.clientName(), command.accountTeam(),
				command.deliveryLead(), command.sponsor(), command.openedAt(), command.recordedBy()));
	}

	/**
	 * @return the sequence number of the stored event
	 */
	@CommandHandler
	long handle(BreakPromise command, Clock clock) {
		requireNewIncident(command.incidentId());
		requireOccurredDuringEngagement(command.occurredAt(), clock);
		requireSeverity(command.severity());
		apply(new PromiseBroken(command.engagementId(), command.incidentId(), command.promiseId(), command.party(),
				command.severity(), command.description(), command.occurredAt(), command.recordedBy()));
		return getVersion();
	}

	@EventSourcingHandler
	void on(EngagementOpened event) {
		this.engagementId = event.engagementId();
		this.openedAt = event.openedAt();
	}

	@EventSourcingHandler
	void on(PromiseBroken event) {
		this.incidentIds.add(event.incidentId());
	}

	private void requireNewIncident(String incidentId) {
		if (this.incidentIds.contains(incidentId)) {
			throw new RuleViolation(RuleViolation.Kind.CONFLICT, "incident-already-recorded", "incidentId",
					"Incident " + incidentId + " is already recorded on engagement " + this.engagementId + ".");
		}
	}

	private void requireOccurredDuringEngagement(Instant occurredAt, Clock clock) {
		if (occurredAt.isBefore(this.openedAt)) {
			throw new RuleViolation(RuleViolation.Kind.UNPROCESSABLE, "occurred-before-opening", "occurredAt",
					"occurredAt " + occurredAt + " is before the engagement opened (" + this.openedAt + ").");
		}
		requireNotInFuture(occurredAt, clock, "occurredAt");
	}

	private static void requireNotInFuture(Instant instant, Clock clock, String field) {
		Instant latest = clock.instant().plus(FUTURE_TOLERANCE);
		if (instant.isAfter(latest)) {
			throw new RuleViolation(RuleViolation.Kind.UNPROCESSABLE, "occurred-in-future", field, field + " " + instant
					+ " is more than " + FUTURE_TOLERANCE.toMinutes() + " minutes in the future.");
		}
	}

	private static void requireSeverity(int severity) {
		if (severity < 1 || severity > 5) {
			throw new RuleViolation(RuleViolation.Kind.UNPROCESSABLE, "severity-out-of-range", "severity",
					"severity must be from 1 to 5, not " + severity + ".");
		}
	}

}
