package dev.trustledger.query.engagement;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.trustledger.scoring.ScorePoint;
import io.swagger.v3.oas.annotations.media.Schema;
import org.bson.Document;

/**
 * A page of an engagement's history: its latest events in the range asked, in occurrence
 * order, each with its data and what it did to the scores.
 *
 * @param engagementId the engagement
 * @param from the start of the range asked for, if any
 * @param to the end of the range asked for, if any
 * @param limit the most events a page holds
 * @param events the events, oldest first (by when they occurred; the recorded sequence
 * breaks ties)
 * @param earlier where the events of the range before these are, or {@code null} when
 * there are none
 */
public record EngagementHistory(String engagementId, @Schema(nullable = true) Instant from,
		@Schema(nullable = true) Instant to, int limit, List<Event> events, @Schema(nullable = true) String earlier) {

	/**
	 * One event of the history.
	 *
	 * @param sequence its place in the recorded order, from 0
	 * @param type its CloudEvent type, as in docs/events.md
	 * @param occurredAt when it happened (business time)
	 * @param recordedAt when it was recorded
	 * @param recordedBy who recorded it
	 * @param data the event's data, as in docs/events.md for its type
	 * @param trust trust right after it
	 * @param mutualResponsibility mutual responsibility right after it
	 * @param contributions why the scores moved
	 */
	@Schema(name = "HistoryEvent")
	public record Event(long sequence, String eventId, String type, Instant occurredAt, Instant recordedAt,
			String recordedBy, Map<String, Object> data, BigDecimal trust, BigDecimal mutualResponsibility,
			ScorePoint.Explanation contributions) {

		@SuppressWarnings("unchecked")
		static Event of(Document event) {
			Document data = event.get("data", Document.class);
			return new Event(event.get("sequence", Number.class).longValue(), event.getString("eventId"),
					event.getString("type"), EngagementView.instant(event.get("occurredAt")),
					EngagementView.instant(event.get("recordedAt")), event.getString("recordedBy"),
					(data != null) ? (Map<String, Object>) json(data) : null,
					EngagementView.decimal(event.get("trust")),
					EngagementView.decimal(event.get("mutualResponsibility")),
					EngagementView.explanation(event.get("contributions", Document.class)));
		}

		/** The event's data as plain JSON: dates become ISO-8601 instants. */
		private static Object json(Object value) {
			if (value instanceof Date date) {
				return date.toInstant().toString();
			}
			if (value instanceof Document document) {
				Map<String, Object> map = new LinkedHashMap<>();
				document.forEach((key, nested) -> map.put(key, json(nested)));
				return map;
			}
			if (value instanceof List<?> list) {
				return list.stream().map(Event::json).toList();
			}
			return value;
		}

	}

}
