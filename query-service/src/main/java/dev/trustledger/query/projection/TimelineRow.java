package dev.trustledger.query.projection;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.trustledger.scoring.Band;
import dev.trustledger.scoring.ScorePoint;

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

	private static final int EVENT_TYPE = column("eventType");

	private static final int BAND = column("band");

	private static final int VENDOR = column("vendorOwnership");

	private static final int CLIENT = column("clientOwnership");

	private static final int CREDIBILITY = column("components.credibility");

	private static final int RELIABILITY = column("components.reliability");

	private static final int INTIMACY = column("components.intimacy");

	private static final int SELF_ORIENTATION = column("components.selfOrientation");

	private static final int TRUST_CHANGE = column("explanation.trustChange");

	private static final int CREDIBILITY_CHANGE = column("explanation.trustContributions.credibility");

	private static final int RELIABILITY_CHANGE = column("explanation.trustContributions.reliability");

	private static final int INTIMACY_CHANGE = column("explanation.trustContributions.intimacy");

	private static final int SELF_ORIENTATION_CHANGE = column("explanation.trustContributions.selfOrientation");

	private static final int MUTUAL_CHANGE = column("explanation.mutualChange");

	private static final int VENDOR_CHANGE = column("explanation.mutualContributions.vendor");

	private static final int CLIENT_CHANGE = column("explanation.mutualContributions.client");

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

	/** The point as the API answers with it. */
	public ScorePoint point() {
		return new ScorePoint(sequence(), eventId(), (String) this.values.get(EVENT_TYPE),
				Timestamps.parse(occurredAt()), decimal(TRUST),
				new ScorePoint.Components(decimal(CREDIBILITY), decimal(RELIABILITY), decimal(INTIMACY),
						decimal(SELF_ORIENTATION)),
				Band.valueOf((String) this.values.get(BAND)), decimal(MUTUAL), decimal(VENDOR), decimal(CLIENT),
				new ScorePoint.Explanation(decimal(TRUST_CHANGE),
						new ScorePoint.Components(decimal(CREDIBILITY_CHANGE), decimal(RELIABILITY_CHANGE),
								decimal(INTIMACY_CHANGE), decimal(SELF_ORIENTATION_CHANGE)),
						decimal(MUTUAL_CHANGE), new ScorePoint.Sides(decimal(VENDOR_CHANGE), decimal(CLIENT_CHANGE))),
				modelVersion());
	}

	private BigDecimal decimal(int column) {
		return EngagementDocuments.decimal(this.values.get(column));
	}

	/**
	 * The point's fields by their JSON paths, nested, as the CSV export flattens them.
	 */
	public Map<String, Object> asMap() {
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
