package dev.trustledger.command.engagement;

import java.time.Instant;
import java.util.Map;

import dev.trustledger.events.cooperation.EngageStakeholder;
import dev.trustledger.events.cooperation.LoseStakeholder;
import dev.trustledger.events.cooperation.MakeDecision;
import dev.trustledger.events.cooperation.ResistChange;
import dev.trustledger.events.cooperation.ShareInformation;
import dev.trustledger.events.cooperation.StallDecision;
import dev.trustledger.events.cooperation.WithholdInformation;
import dev.trustledger.events.engagement.CloseEngagement;
import dev.trustledger.events.engagement.OpenEngagement;
import dev.trustledger.events.engagement.ReopenEngagement;
import dev.trustledger.events.outcome.DecideRenewal;
import dev.trustledger.events.outcome.EndEngagement;
import dev.trustledger.events.outcome.EscalateToLeadership;
import dev.trustledger.events.partnership.AgreeProblemStatement;
import dev.trustledger.events.partnership.StandByPartner;
import dev.trustledger.events.promise.BreakPromise;
import dev.trustledger.events.promise.KeepPromise;
import dev.trustledger.events.promise.MakePromise;
import dev.trustledger.events.responsibility.DeflectBlame;
import dev.trustledger.events.responsibility.ShareBlame;
import dev.trustledger.events.responsibility.TakeResponsibility;
import dev.trustledger.events.sponsor.GainSponsor;
import dev.trustledger.events.sponsor.LoseSponsor;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;

import org.springframework.stereotype.Component;
import org.springframework.util.IdGenerator;

/**
 * Turns validated API requests into commands and sends them, for the single endpoints and
 * the bulk import alike, so both answer the same way. The recorder is always the
 * authenticated principal.
 */
@Component
public class EngagementCommands {

	static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

	/**
	 * Promise ids become field names in the query projection: no dots, no dollar signs.
	 */
	static final String PROMISE_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";

	/**
	 * Metadata of a command, copied onto the events it stores: when the fact was first
	 * recorded, for history brought from elsewhere by an admin's import. The publisher
	 * sends it as the event's recording time instead of the time this store took it in.
	 */
	public static final String RECORDED_AT = "recordedAt";

	/**
	 * The recording time a message's {@link #RECORDED_AT} metadata gives, or
	 * {@code otherwise} when it gives none that can be read.
	 */
	public static Instant recordedAt(Object metadataValue, Instant otherwise) {
		if (metadataValue instanceof String text) {
			try {
				return Instant.parse(text);
			}
			catch (java.time.format.DateTimeParseException ex) {
				return otherwise;
			}
		}
		return otherwise;
	}

	private final CommandGateway commands;

	private final IdGenerator ids;

	EngagementCommands(CommandGateway commands, IdGenerator ids) {
		this.commands = commands;
		this.ids = ids;
	}

	public EngagementRecorded open(OpenEngagementRequest request, String recordedBy) {
		return open(request, recordedBy, null);
	}

	/**
	 * @param recordedAt when the opening was first recorded, if elsewhere and earlier (an
	 * admin's import), or {@code null}: now
	 */
	public EngagementRecorded open(OpenEngagementRequest request, String recordedBy, Instant recordedAt) {
		String engagementId = (request.engagementId() != null) ? request.engagementId()
				: this.ids.generateId().toString();
		// without an opening time the engagement takes "now" from its clock, and an
		// opening sent again without one matches the first
		send(new OpenEngagement(engagementId, request.clientName(), request.accountTeam(), request.deliveryLead(),
				request.sponsor(), request.openedAt(), recordedBy), recordedAt);
		return new EngagementRecorded(engagementId);
	}

	public IncidentRecorded record(String engagementId, IncidentRequest request, String recordedBy) {
		return record(engagementId, request, recordedBy, null);
	}

	public IncidentRecorded record(String engagementId, IncidentRequest request, String recordedBy,
			Instant recordedAt) {
		requireShapeOfAnId(engagementId);
		Long sequence = send(command(engagementId, request, recordedBy), recordedAt);
		return new IncidentRecorded(request.incidentId().toString(), engagementId, sequence);
	}

	public LifecycleRecorded close(String engagementId, LifecycleRequest request, String recordedBy) {
		return close(engagementId, request, recordedBy, null);
	}

	public LifecycleRecorded close(String engagementId, LifecycleRequest request, String recordedBy,
			Instant recordedAt) {
		requireShapeOfAnId(engagementId);
		Long sequence = send(new CloseEngagement(engagementId, request.note(), request.occurredAt(), recordedBy),
				recordedAt);
		return new LifecycleRecorded(engagementId, "CLOSED", sequence);
	}

	public LifecycleRecorded reopen(String engagementId, LifecycleRequest request, String recordedBy) {
		return reopen(engagementId, request, recordedBy, null);
	}

	public LifecycleRecorded reopen(String engagementId, LifecycleRequest request, String recordedBy,
			Instant recordedAt) {
		requireShapeOfAnId(engagementId);
		Long sequence = send(new ReopenEngagement(engagementId, request.note(), request.occurredAt(), recordedBy),
				recordedAt);
		return new LifecycleRecorded(engagementId, "OPEN", sequence);
	}

	private <R> R send(Object command, Instant recordedAt) {
		return this.commands
			.sendAndWait((recordedAt == null) ? command : GenericCommandMessage.asCommandMessage(command)
				.andMetaData(Map.of(RECORDED_AT, recordedAt.toString())));
	}

	/**
	 * An id that no opening could have given cannot name an engagement: not found,
	 * without asking the store (which refuses some such text, a NUL for one).
	 */
	private static void requireShapeOfAnId(String engagementId) {
		if (engagementId == null || !ID.matcher(engagementId).matches()) {
			throw new AggregateNotFoundException(String.valueOf(engagementId), "No engagement has such an id");
		}
	}

	private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile(ID_PATTERN);

	/** Each incident type dispatches its own command. */
	private static Object command(String engagementId, IncidentRequest request, String recordedBy) {
		String incidentId = request.incidentId().toString();
		Instant occurredAt = request.occurredAt();
		String note = request.note();
		return switch (request.type()) {
			case PROMISE_MADE -> new MakePromise(engagementId, incidentId,
					(request.promiseId() != null) ? request.promiseId() : incidentId, request.party(),
					request.severity(), note, request.dueBy(), occurredAt, recordedBy);
			case PROMISE_KEPT ->
				new KeepPromise(engagementId, incidentId, request.promiseId(), note, occurredAt, recordedBy);
			case PROMISE_BROKEN -> new BreakPromise(engagementId, incidentId, request.promiseId(), request.party(),
					request.severity(), note, occurredAt, recordedBy);
			case RESPONSIBILITY_TAKEN -> new TakeResponsibility(engagementId, incidentId, request.party(),
					request.incidentRefText(), request.severity(), note, occurredAt, recordedBy);
			case CLIENT_SHARED_BLAME -> new ShareBlame(engagementId, incidentId, request.incidentRefText(),
					request.severity(), note, occurredAt, recordedBy);
			case BLAME_DEFLECTED -> new DeflectBlame(engagementId, incidentId, request.party(),
					request.incidentRefText(), request.severity(), note, occurredAt, recordedBy);
			case SPONSOR_LOST -> new LoseSponsor(engagementId, incidentId, request.sponsor(), request.severity(), note,
					occurredAt, recordedBy);
			case SPONSOR_GAINED ->
				new GainSponsor(engagementId, incidentId, request.sponsor(), note, occurredAt, recordedBy);
			case STOOD_BY_PARTNER -> new StandByPartner(engagementId, incidentId, request.party(), request.severity(),
					note, occurredAt, recordedBy);
			case PROBLEM_STATEMENT_AGREED -> new AgreeProblemStatement(engagementId, incidentId,
					request.incidentRefText(), request.severity(), note, occurredAt, recordedBy);
			case RENEWAL_DECIDED ->
				new DecideRenewal(engagementId, incidentId, request.decision(), note, occurredAt, recordedBy);
			case CLIENT_ESCALATED ->
				new EscalateToLeadership(engagementId, incidentId, request.severity(), note, occurredAt, recordedBy);
			case ENGAGEMENT_ENDED ->
				new EndEngagement(engagementId, incidentId, request.ending(), note, occurredAt, recordedBy);
			case INFORMATION_WITHHELD -> new WithholdInformation(engagementId, incidentId, request.party(),
					request.severity(), note, occurredAt, recordedBy);
			case INFORMATION_SHARED -> new ShareInformation(engagementId, incidentId, request.party(),
					request.incidentRefText(), note, occurredAt, recordedBy);
			case DECISION_STALLED ->
				new StallDecision(engagementId, incidentId, request.severity(), note, occurredAt, recordedBy);
			case DECISION_MADE ->
				new MakeDecision(engagementId, incidentId, request.incidentRefText(), note, occurredAt, recordedBy);
			case CHANGE_RESISTED -> new ResistChange(engagementId, incidentId, request.party(), request.severity(),
					note, occurredAt, recordedBy);
			case STAKEHOLDER_ENGAGED ->
				new EngageStakeholder(engagementId, incidentId, request.person(), note, occurredAt, recordedBy);
			case STAKEHOLDER_LOST -> new LoseStakeholder(engagementId, incidentId, request.person(), request.severity(),
					note, occurredAt, recordedBy);
		};
	}

	public record EngagementRecorded(String engagementId) {
	}

	public record IncidentRecorded(String incidentId, String engagementId, long sequence) {
	}

	public record LifecycleRecorded(String engagementId, String status, long sequence) {
	}

}
