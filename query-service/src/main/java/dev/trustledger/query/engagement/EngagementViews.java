package dev.trustledger.query.engagement;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

/**
 * How an engagement's projected document is shown: as JSON with its current scores at the
 * top level, as the engagement, the portfolio and the exports show it.
 */
public final class EngagementViews {

	private EngagementViews() {
	}

	/**
	 * The current scores at the top level, and the stale flag: no event for the model's
	 * stale period, by this service's clock at read time.
	 */
	public static void addScores(Map<String, Object> view, Document scores, int staleAfterDays, Instant now) {
		view.remove("scores");
		if (scores == null) {
			return;
		}
		view.put("trust", scores.get("trust"));
		view.put("mutualResponsibility", scores.get("mutualResponsibility"));
		view.put("components", json(scores.get("components")));
		view.put("vendorOwnership", scores.get("vendorOwnership"));
		view.put("clientOwnership", scores.get("clientOwnership"));
		view.put("band", scores.get("band"));
		view.put("trend30d", scores.get("trend30d"));
		view.put("sparkline", scores.get("sparkline", List.of()));
		view.put("lastChange", json(scores.get("explanation")));
		view.put("modelVersion", scores.get("modelVersion"));
		Object lastEventAt = view.get("lastEventAt");
		boolean stale = lastEventAt != null
				&& Instant.parse(lastEventAt.toString()).plus(Duration.ofDays(staleAfterDays)).isBefore(now);
		view.put("stale", stale);
	}

	/**
	 * The projection as JSON: {@code _id} becomes {@code engagementId} and dates become
	 * ISO-8601 instants.
	 */
	public static Map<String, Object> view(Document document) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("engagementId", document.get("_id"));
		document.forEach((key, value) -> {
			if (!key.equals("_id")) {
				view.put(key, json(value));
			}
		});
		return view;
	}

	public static Object json(Object value) {
		if (value instanceof Date date) {
			return date.toInstant().toString();
		}
		if (value instanceof Document document) {
			Map<String, Object> map = new LinkedHashMap<>();
			document.forEach((key, nested) -> map.put(key, json(nested)));
			return map;
		}
		if (value instanceof List<?> list) {
			return list.stream().map(EngagementViews::json).toList();
		}
		return value;
	}

}
