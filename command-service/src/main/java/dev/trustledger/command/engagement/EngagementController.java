package dev.trustledger.command.engagement;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.trustledger.events.Party;
import dev.trustledger.events.engagement.OpenEngagement;
import dev.trustledger.events.promise.BreakPromise;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The command API: open an engagement, record what happens in it. */
@RestController
@RequestMapping("/api/engagements")
class EngagementController {

	static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

	/** Until authentication arrives, everything is recorded by this principal. */
	static final String ANONYMOUS = "anonymous";

	private final CommandGateway commands;

	private final Clock clock;

	EngagementController(CommandGateway commands, Clock clock) {
		this.commands = commands;
		this.clock = clock;
	}

	@PostMapping
	ResponseEntity<Map<String, String>> open(@Valid @RequestBody OpenEngagementRequest request) {
		String engagementId = (request.engagementId() != null) ? request.engagementId() : UUID.randomUUID().toString();
		Instant openedAt = (request.openedAt() != null) ? request.openedAt() : this.clock.instant();
		try {
			this.commands.sendAndWait(new OpenEngagement(engagementId, request.clientName(), request.accountTeam(),
					request.deliveryLead(), request.sponsor(), openedAt, ANONYMOUS));
		}
		catch (ConcurrencyException ex) {
			// the event store already holds event 0 of this engagement
			throw new RuleViolation(RuleViolation.Kind.CONFLICT, "engagement-exists", "engagementId",
					"Engagement " + engagementId + " is already open.");
		}
		return ResponseEntity.created(URI.create("/api/engagements/" + engagementId))
			.body(Map.of("engagementId", engagementId));
	}

	@PostMapping("/{engagementId}/incidents")
	ResponseEntity<IncidentRecorded> record(@PathVariable String engagementId,
			@Valid @RequestBody IncidentRequest request) {
		Long sequence = switch (request.type()) {
			case PROMISE_BROKEN -> this.commands
				.sendAndWait(new BreakPromise(engagementId, request.incidentId().toString(), request.promiseId(),
						request.party(), request.severity(), request.note(), request.occurredAt(), ANONYMOUS));
		};
		return ResponseEntity
			.created(URI.create("/api/engagements/" + engagementId + "/incidents/" + request.incidentId()))
			.body(new IncidentRecorded(request.incidentId().toString(), engagementId, sequence));
	}

	record OpenEngagementRequest(@Pattern(regexp = ID_PATTERN) String engagementId,
			@NotBlank @Size(max = 200) String clientName, @NotBlank @Size(max = 200) String accountTeam,
			@NotBlank @Size(max = 200) String deliveryLead, @Size(max = 200) String sponsor, Instant openedAt) {
	}

	record IncidentRequest(@NotNull UUID incidentId, @NotNull IncidentType type, @NotNull Party party,
			@NotNull @Min(1) @Max(5) Integer severity, @NotNull Instant occurredAt, @Size(max = 2000) String note,
			@Size(max = 64) String promiseId) {
	}

	record IncidentRecorded(String incidentId, String engagementId, long sequence) {
	}

	/** The kinds of incident this API records; each dispatches its own command. */
	enum IncidentType {

		PROMISE_BROKEN

	}

}
