package dev.trustledger.command.engagement;

import java.net.URI;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import dev.trustledger.events.engagement.CloseEngagement;
import dev.trustledger.events.engagement.OpenEngagement;
import dev.trustledger.events.engagement.ReopenEngagement;
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
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The command API: open, close and reopen an engagement; record what happens in it. The
 * recorder is always the authenticated principal, never a field of the request.
 */
@RestController
@RequestMapping("/api/engagements")
class EngagementController {

	static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

	/**
	 * Promise ids become field names in the query projection: no dots, no dollar signs.
	 */
	static final String PROMISE_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";

	private final CommandGateway commands;

	private final Clock clock;

	EngagementController(CommandGateway commands, Clock clock) {
		this.commands = commands;
		this.clock = clock;
	}

	@PostMapping
	ResponseEntity<EngagementRecorded> open(@Valid @RequestBody OpenEngagementRequest request, Principal principal) {
		EngagementRecorded recorded = open(request, recorder(principal));
		return ResponseEntity.created(URI.create("/api/engagements/" + recorded.engagementId())).body(recorded);
	}

	EngagementRecorded open(OpenEngagementRequest request, String recordedBy) {
		String engagementId = (request.engagementId() != null) ? request.engagementId() : UUID.randomUUID().toString();
		Instant openedAt = (request.openedAt() != null) ? request.openedAt() : this.clock.instant();
		this.commands.sendAndWait(new OpenEngagement(engagementId, request.clientName(), request.accountTeam(),
				request.deliveryLead(), request.sponsor(), openedAt, recordedBy));
		return new EngagementRecorded(engagementId);
	}

	@PostMapping("/{engagementId}/incidents")
	ResponseEntity<IncidentRecorded> record(@PathVariable String engagementId,
			@Valid @RequestBody IncidentRequest request, Principal principal) {
		IncidentRecorded recorded = record(engagementId, request, recorder(principal));
		return ResponseEntity
			.created(URI.create("/api/engagements/" + engagementId + "/incidents/" + recorded.incidentId()))
			.body(recorded);
	}

	IncidentRecorded record(String engagementId, IncidentRequest request, String recordedBy) {
		Long sequence = this.commands.sendAndWait(command(engagementId, request, recordedBy));
		return new IncidentRecorded(request.incidentId().toString(), engagementId, sequence);
	}

	@PostMapping("/{engagementId}/close")
	ResponseEntity<LifecycleRecorded> close(@PathVariable String engagementId,
			@Valid @RequestBody(required = false) LifecycleRequest request, Principal principal) {
		LifecycleRequest body = (request != null) ? request : LifecycleRequest.EMPTY;
		Long sequence = this.commands
			.sendAndWait(new CloseEngagement(engagementId, body.note(), occurredAt(body), recorder(principal)));
		return ResponseEntity.ok(new LifecycleRecorded(engagementId, "CLOSED", sequence));
	}

	@PostMapping("/{engagementId}/reopen")
	ResponseEntity<LifecycleRecorded> reopen(@PathVariable String engagementId,
			@Valid @RequestBody(required = false) LifecycleRequest request, Principal principal) {
		LifecycleRequest body = (request != null) ? request : LifecycleRequest.EMPTY;
		Long sequence = this.commands
			.sendAndWait(new ReopenEngagement(engagementId, body.note(), occurredAt(body), recorder(principal)));
		return ResponseEntity.ok(new LifecycleRecorded(engagementId, "OPEN", sequence));
	}

	private Instant occurredAt(LifecycleRequest request) {
		return (request.occurredAt() != null) ? request.occurredAt() : this.clock.instant();
	}

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
		};
	}

	static String recorder(Principal principal) {
		return (principal != null) ? principal.getName() : "anonymous";
	}

	/**
	 * @param engagementId chosen by the caller, or left out for a generated UUID
	 * @param openedAt defaults to now
	 */
	record OpenEngagementRequest(@Pattern(regexp = ID_PATTERN) String engagementId,
			@NotBlank @Size(max = 200) String clientName, @NotBlank @Size(max = 200) String accountTeam,
			@NotBlank @Size(max = 200) String deliveryLead, @Size(min = 1, max = 200) String sponsor,
			Instant openedAt) {
	}

	/**
	 * @param occurredAt defaults to now
	 */
	record LifecycleRequest(Instant occurredAt, @Size(max = 2000) String note) {

		static final LifecycleRequest EMPTY = new LifecycleRequest(null, null);

	}

	record EngagementRecorded(String engagementId) {
	}

	record IncidentRecorded(String incidentId, String engagementId, long sequence) {
	}

	record LifecycleRecorded(String engagementId, String status, long sequence) {
	}

}
