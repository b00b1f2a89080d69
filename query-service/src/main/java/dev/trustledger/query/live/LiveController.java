package dev.trustledger.query.live;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Server-sent events of what is recorded and raised now, for the dashboard. */
@RestController
class LiveController {

	private final LiveFeed feed;

	LiveController(LiveFeed feed) {
		this.feed = feed;
	}

	/**
	 * A stream of {@code event} messages (an engagement event was recorded: engagement,
	 * sequence, type, who and when) and {@code alert} messages (a trust alert, as
	 * published); it ends after 30 minutes, and browsers reconnect by themselves.
	 */
	@Operation(summary = "Every recorded event and every alert as it happens, as server-sent events")
	@ApiResponse(responseCode = "200",
			description = "Server-sent events: hello on opening, event for each recorded event (its engagementId, sequence, eventId, type, occurredAt, recordedAt and recordedBy) and alert for each alert (a TrustAlertRaised)",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
	@GetMapping(path = "/api/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter live() {
		return this.feed.open();
	}

}
