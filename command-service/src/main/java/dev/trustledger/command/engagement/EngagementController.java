package dev.trustledger.command.engagement;

import java.net.URI;
import java.security.Principal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.command.engagement.EngagementCommands.EngagementRecorded;
import dev.trustledger.command.engagement.EngagementCommands.IncidentRecorded;
import dev.trustledger.command.engagement.EngagementCommands.LifecycleRecorded;
import dev.trustledger.command.web.CommandOutcomes;
import dev.trustledger.command.web.RequestReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The command API: open, close and reopen an engagement; record what happens in it.
 * Bodies are read field by field ({@link RequestReader}) so that a rejection lists every
 * mistake; the recorder is always the authenticated principal, never a request field.
 */
@RestController
@RequestMapping("/api/engagements")
class EngagementController {

	private final EngagementCommands commands;

	private final RequestReader reader;

	private final CommandOutcomes outcomes;

	EngagementController(EngagementCommands commands, RequestReader reader, CommandOutcomes outcomes) {
		this.commands = commands;
		this.reader = reader;
		this.outcomes = outcomes;
	}

	@Operation(summary = "Open an engagement",
			description = "Opening the same engagement again with the same details answers as the first time.")
	@ApiResponse(responseCode = "201", description = "Opened, or opened before with the same details",
			content = @Content(schema = @Schema(implementation = EngagementRecorded.class)))
	@PostMapping
	ResponseEntity<EngagementRecorded> open(
			@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					schema = @Schema(implementation = OpenEngagementRequest.class))) @RequestBody JsonNode body,
			Principal principal) {
		EngagementRecorded recorded = this.commands.open(this.reader.read(body, OpenEngagementRequest.class),
				principal.getName());
		this.outcomes.accepted("http", "engagement " + recorded.engagementId() + " opened");
		return ResponseEntity.created(URI.create("/api/engagements/" + recorded.engagementId())).body(recorded);
	}

	@Operation(summary = "Record an incident",
			description = "The incident id is the idempotency key: the same incident sent again answers with its "
					+ "original result and stores nothing; the same id with other content is a 409.")
	@ApiResponse(responseCode = "201", description = "Recorded, or recorded before with the same content",
			content = @Content(schema = @Schema(implementation = IncidentRecorded.class)))
	@PostMapping("/{engagementId}/incidents")
	ResponseEntity<IncidentRecorded> record(@PathVariable String engagementId,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					schema = @Schema(implementation = IncidentRequest.class))) @RequestBody JsonNode body,
			Principal principal) {
		IncidentRecorded recorded = this.commands.record(engagementId, this.reader.read(body, IncidentRequest.class),
				principal.getName());
		this.outcomes.accepted("http", "incident " + recorded.incidentId() + " of engagement " + engagementId
				+ " recorded as event #" + recorded.sequence());
		return ResponseEntity
			.created(URI.create("/api/engagements/" + engagementId + "/incidents/" + recorded.incidentId()))
			.body(recorded);
	}

	@Operation(summary = "Close an engagement")
	@PostMapping("/{engagementId}/close")
	LifecycleRecorded close(@PathVariable String engagementId,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(schema = @Schema(implementation = LifecycleRequest.class))) @RequestBody(
							required = false) JsonNode body,
			Principal principal) {
		LifecycleRecorded recorded = this.commands.close(engagementId, lifecycle(body), principal.getName());
		this.outcomes.accepted("http", "engagement " + engagementId + " closed");
		return recorded;
	}

	@Operation(summary = "Reopen a closed engagement")
	@PostMapping("/{engagementId}/reopen")
	LifecycleRecorded reopen(@PathVariable String engagementId,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(schema = @Schema(implementation = LifecycleRequest.class))) @RequestBody(
							required = false) JsonNode body,
			Principal principal) {
		LifecycleRecorded recorded = this.commands.reopen(engagementId, lifecycle(body), principal.getName());
		this.outcomes.accepted("http", "engagement " + engagementId + " reopened");
		return recorded;
	}

	private LifecycleRequest lifecycle(JsonNode body) {
		return (body == null || body.isNull()) ? LifecycleRequest.EMPTY
				: this.reader.read(body, LifecycleRequest.class);
	}

}
