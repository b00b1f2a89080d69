package dev.trustledger.command.publishing;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Parked events for operators (admins): the list with the reason of each, and a retry
 * after a fix. Health reports the count as a detail and stays UP: a parked event stops
 * nothing but its own engagement.
 */
@RestController
class ParkedEventsController {

	static final int LIST_LIMIT = 1000;

	private final ParkedEvents parked;

	ParkedEventsController(ParkedEvents parked) {
		this.parked = parked;
	}

	@Operation(summary = "List the events the publisher parked",
			description = "Engagement by engagement, in order, at most " + LIST_LIMIT + " events, with the reason.")
	@GetMapping("/api/parked")
	ParkedList list() {
		return new ParkedList(this.parked.count(), this.parked.engagements(), this.parked.list(LIST_LIMIT));
	}

	/**
	 * The events the publisher parked, engagement by engagement, in order.
	 *
	 * @param count how many events are parked
	 * @param engagements how many engagements they hold back
	 * @param events the first of them, with why each was parked
	 */
	@Schema(name = "ParkedEvents")
	record ParkedList(long count, long engagements, List<ParkedEvents.Parked> events) {
	}

	@Operation(summary = "Publish parked events again",
			description = "Of one engagement, or of all: each engagement's events in order, until one fails again.")
	@PostMapping("/api/parked/retry")
	ParkedEvents.Retried retry(@Parameter(description = "only this engagement's parked events") @RequestParam(
			required = false) String engagementId) {
		return this.parked.retry(engagementId);
	}

	@Component("parkedHealthIndicator")
	static class ParkedEventsHealth implements HealthIndicator {

		private final ParkedEvents parked;

		ParkedEventsHealth(ParkedEvents parked) {
			this.parked = parked;
		}

		@Override
		public Health health() {
			return Health.up()
				.withDetail("parkedEvents", this.parked.count())
				.withDetail("engagements", this.parked.engagements())
				.build();
		}

	}

}
