package dev.trustledger.query.projection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scored point of a timeline as it is stored: its values in the order of
 * {@link EngagementDocuments#ROW_COLUMNS}, with what reading and reducing a timeline
 * needs taken out once.
 *
 * @param values the row's values as JSON gave them
 * @param epochMillis when the event occurred
 * @param trust the trust score after the event
 * @param mutual the mutual-responsibility score after the event
 */
public record TimelineRow(List<Object> values, long epochMillis, double trust, double mutual) {

	private static final int SEQUENCE = column("sequence");

	private static final int EVENT_ID = column("eventId");

	private static final int OCCURRED_AT = column("occurredAt");

	private static final int TRUST = column("trust");

	private static final int MUTUAL = column("mutualResponsibility");

	private static final int MODEL_VERSION = column("modelVersion");

	private static int column(String path) {
		for (int i = 0; i < EngagementDocuments.ROW_COLUMNS.size(); i++) {
			if (String.join(".", EngagementDocuments.ROW_COLUMNS.get(i).path()).equals(path)) {
				return i;
			}
		}
		throw new IllegalStateException("No column " + path);
	}

	static TimelineRow of(List<Object> values) {
		return new TimelineRow(values, Timestamps.parse((String) values.get(OCCURRED_AT)).toEpochMilli(),
				((Number) values.get(TRUST)).doubleValue(), ((Number) values.get(MUTUAL)).doubleValue());
	}

	public long sequence() {
		return ((Number) this.values.get(SEQUENCE)).longValue();
	}

	public String eventId() {
		return (String) this.values.get(EVENT_ID);
	}

	public String occurredAt() {
		return (String) this.values.get(OCCURRED_AT);
	}

	public String modelVersion() {
		return (String) this.values.get(MODEL_VERSION);
	}

	/** The point in the JSON shape of {@code ScorePoint}. */
	public Map<String, Object> point() {
		Map<String, Object> point = new LinkedHashMap<>();
		for (int i = 0; i < EngagementDocuments.ROW_COLUMNS.size(); i++) {
			String[] path = EngagementDocuments.ROW_COLUMNS.get(i).path();
			Map<String, Object> parent = point;
			for (int depth = 0; depth < path.length - 1; depth++) {
				@SuppressWarnings("unchecked")
				Map<String, Object> child = (Map<String, Object>) parent.computeIfAbsent(path[depth],
						(key) -> new LinkedHashMap<String, Object>());
				parent = child;
			}
			parent.put(path[path.length - 1], this.values.get(i));
		}
		return point;
	}

}
