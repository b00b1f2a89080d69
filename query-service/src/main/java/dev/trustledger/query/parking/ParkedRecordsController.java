package dev.trustledger.query.parking;

import java.util.List;

import dev.trustledger.query.projection.CloudEventReader;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.query.replay.Replays;
import dev.trustledger.support.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Parked records for operators (admins): the list with the reason of each, and a retry
 * after a fix, which applies each engagement's parked records in order through the live
 * projection's path until one fails again. Health reports the count as a detail and stays
 * UP: a parked record stops nothing but its own engagement.
 */
@RestController
class ParkedRecordsController {

	private static final Logger log = LoggerFactory.getLogger(ParkedRecordsController.class);

	static final int LIST_LIMIT = 1000;

	private final ParkedRecords parked;

	private final CloudEventReader reader;

	private final EngagementProjection projection;

	private final Replays replays;

	ParkedRecordsController(ParkedRecords parked, CloudEventReader reader, EngagementProjection projection,
			Replays replays) {
		this.parked = parked;
		this.reader = reader;
		this.projection = projection;
		this.replays = replays;
	}

	@Operation(summary = "List the records the projection parked",
			description = "Engagement by engagement, in order, at most " + LIST_LIMIT + " records, with the reason.")
	@GetMapping("/api/parked")
	ParkedList list() {
		List<ParkedList.Record> records = this.parked.list(LIST_LIMIT)
			.stream()
			.map((parked) -> new ParkedList.Record(parked.getString("_id"), parked.getString("engagementId"),
					parked.getString("topic"), parked.getInteger("partition"),
					parked.get("offset", Number.class).longValue(), parked.getString("reason"),
					parked.getDate("parkedAt").toInstant(), parked.getInteger("attempts", 0)))
			.toList();
		return new ParkedList(this.parked.count(), this.parked.engagementCount(), records);
	}

	@Operation(summary = "Project parked records again",
			description = "Of one engagement, or of all: each engagement's records in order, until one fails again.")
	@ApiResponse(responseCode = "200", description = "What the retry did",
			content = @Content(schema = @Schema(implementation = Retried.class)))
	@PostMapping("/api/parked/retry")
	synchronized ResponseEntity<?> retry(
			@Parameter(description = "only this engagement's parked records") @RequestParam(
					required = false) String engagementId) {
		if (this.replays.anyRunning()) {
			// a retry applies to the current generation: what a rebuild parked belongs in
			// the
			// one it builds, which becomes current when it switches
			return Problems.answer(HttpStatus.CONFLICT, "replay-running", null,
					"A replay is running; retry parked records once it has finished.");
		}
		long applied = 0;
		List<String> engagements = (engagementId != null) ? List.of(engagementId) : this.parked.engagementIds();
		for (String engagement : engagements) {
			applied += retryEngagement(engagement);
		}
		return ResponseEntity.ok(new Retried(applied, this.parked.count()));
	}

	/** One engagement's parked records, in order, until one fails again. */
	private long retryEngagement(String engagementId) {
		long applied = 0;
		// a record parked by the listener while this ran is taken on the next round
		for (int round = 0; round < 3; round++) {
			for (Document parked : this.parked.of(engagementId)) {
				try {
					this.projection.apply(this.reader.read(ParkedRecords.record(parked)));
					this.parked.release(parked);
					applied++;
				}
				catch (RuntimeException ex) {
					log.warn("Parked record {} failed again", parked.getString("_id"), ex);
					this.parked.failedAgain(parked, ParkedRecords.describe(ex));
					return applied;
				}
			}
			if (this.parked.releaseEngagement(engagementId)) {
				return applied;
			}
		}
		return applied;
	}

	@Operation(summary = "Discard a parked record",
			description = "For a record that can never be applied (unreadable, say): it is deleted from the parked "
					+ "records, not from the topic, and its engagement's records behind it can then be retried.")
	@ApiResponse(responseCode = "204", description = "Discarded", content = @Content)
	@DeleteMapping("/api/parked/{recordId}")
	ResponseEntity<?> discard(@PathVariable String recordId) {
		if (!this.parked.discard(recordId)) {
			return Problems.answer(HttpStatus.NOT_FOUND, "parked-record-not-found", "recordId",
					"No record " + recordId + " is parked.");
		}
		log.warn("Parked record {} discarded", recordId);
		return ResponseEntity.noContent().build();
	}

	/**
	 * What a retry did.
	 *
	 * @param projected how many parked records were projected
	 * @param stillParked how many remain parked
	 */
	@Schema(name = "RecordsRetried")
	record Retried(long projected, long stillParked) {
	}

	@Component("parkedHealthIndicator")
	static class ParkedRecordsHealth implements HealthIndicator {

		private final ParkedRecords parked;

		ParkedRecordsHealth(ParkedRecords parked) {
			this.parked = parked;
		}

		@Override
		public Health health() {
			return Health.up()
				.withDetail("parkedRecords", this.parked.count())
				.withDetail("engagements", this.parked.engagementCount())
				.build();
		}

	}

}
