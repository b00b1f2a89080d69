package dev.trustledger.query.replay;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A replay's phase and progress.
 *
 * @param id the replay, the same number as the generation it builds
 * @param kind {@code REBUILD}, {@code CANDIDATE} (a candidate model's sandbox run) or
 * {@code PROMOTION}
 * @param generation the generation it builds
 * @param model the scoring model it scores with
 * @param engagementIds the engagements it replays, or {@code null} for all
 * @param phase where it is; {@code DONE}, {@code FAILED} and {@code CANCELLED} are final
 * @param eventsProcessed events replayed so far
 * @param eventsTotal events to replay, as far as known
 * @param eventsPerSecond the rate since it started
 * @param etaSeconds seconds left at that rate; 0 once finished, {@code null} before any
 * rate is known
 * @param error why it failed
 * @param parkedRecords how many records it could not apply (reported, not fatal)
 * @param parked the first of those
 */
@Schema(name = "Replay")
public record ReplayView(String id, String kind, int generation, String model,
		@Schema(nullable = true) List<String> engagementIds, String phase, long eventsProcessed, long eventsTotal,
		long eventsPerSecond, @Schema(nullable = true) Long etaSeconds, Instant startedAt,
		@Schema(nullable = true) Instant finishedAt, @Schema(nullable = true) String error, long parkedRecords,
		List<ParkedRecord> parked) {

	/**
	 * A record a replay could not apply.
	 *
	 * @param reason why it could not be applied
	 */
	@Schema(name = "ReplayParkedRecord")
	public record ParkedRecord(String engagementId, int partition, long offset, String reason) {
	}

	/** The view of a running replay's progress, or of a finished one as it was kept. */
	@SuppressWarnings("unchecked")
	static ReplayView of(Map<String, Object> view) {
		List<Map<String, Object>> parked = (List<Map<String, Object>>) view.getOrDefault("parked", List.of());
		return new ReplayView(String.valueOf(view.get("id")), (String) view.get("kind"), number(view.get("generation")),
				(String) view.get("model"), (List<String>) view.get("engagementIds"), (String) view.get("phase"),
				longValue(view.get("eventsProcessed")), longValue(view.get("eventsTotal")),
				longValue(view.get("eventsPerSecond")),
				(view.get("etaSeconds") != null) ? longValue(view.get("etaSeconds")) : null,
				instant(view.get("startedAt")), instant(view.get("finishedAt")), (String) view.get("error"),
				longValue(view.get("parkedRecords")),
				parked.stream()
					.map((record) -> new ParkedRecord((String) record.get("engagementId"),
							number(record.get("partition")), longValue(record.get("offset")),
							(String) record.get("reason")))
					.toList());
	}

	private static int number(Object value) {
		return (value instanceof Number number) ? number.intValue() : 0;
	}

	private static long longValue(Object value) {
		return (value instanceof Number number) ? number.longValue() : 0;
	}

	private static Instant instant(Object value) {
		if (value instanceof java.util.Date date) {
			return date.toInstant();
		}
		return (value != null) ? Instant.parse(value.toString()) : null;
	}

}
