package dev.trustledger.query.projection;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonGeneratorImpl;
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

	/**
	 * Writes the point as {@link #point()} is written as JSON by the services' object
	 * mapper, byte for byte (TimelineBucketsTest), without making it: its fields in the
	 * order and nesting of {@link EngagementDocuments#ROW_COLUMNS} (which is the
	 * point's), their names encoded once, its values as they were read. Making each of a
	 * hundred points and writing them through Jackson's databind takes 112–126 µs, this
	 * 79–82 µs (TimelineWritingBenchmark; a writer with the fields spelt out again took
	 * 72 µs, not worth a second list of them). With the model changes kept in memory, a
	 * first whole-timeline read went from 1.41 to 1.34 ms of the query service's CPU
	 * under the read load driver (docs/performance.md, runs 27 to 29).
	 */
	public void writePoint(JsonGenerator json) throws IOException {
		// the shared decimals' texts are written raw: only into JSON text, and only where
		// writeNumber would write the same
		RowValues shared = (this.values instanceof RowValues read && json instanceof JsonGeneratorImpl
				&& !json.isEnabled(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS)) ? read : null;
		json.writeStartObject();
		for (int column = 0; column < STEPS.length; column++) {
			Step step = STEPS[column];
			for (int closed = 0; closed < step.close(); closed++) {
				json.writeEndObject();
			}
			for (SerializableString object : step.open()) {
				json.writeFieldName(object);
				json.writeStartObject();
			}
			json.writeFieldName(step.name());
			Object value = this.values.get(column);
			if (column == SEQUENCE) {
				json.writeNumber(sequence());
			}
			else if (column == OCCURRED_AT) {
				String text = occurredAt();
				Instant instant = Timestamps.direct(text);
				json.writeString((instant != null && Timestamps.printsAs(instant, text)) ? text
						: Timestamps.parse(text).toString());
			}
			else if (column == BAND) {
				json.writeString(Band.valueOf((String) value).name());
			}
			else if (column == EVENT_ID || column == EVENT_TYPE || column == MODEL_VERSION) {
				json.writeString((String) value);
			}
			else {
				int index = (shared != null) ? shared.sharedIndex(column) : -1;
				if (index >= 0) {
					StoredDecimals.write(json, index);
				}
				else {
					json.writeNumber(EngagementDocuments.decimal(value));
				}
			}
		}
		for (int closed = 0; closed < CLOSED_AT_END; closed++) {
			json.writeEndObject();
		}
		json.writeEndObject();
	}

	/**
	 * How a column is written after the one before: the objects to close and to open, and
	 * its name, each encoded once.
	 */
	private record Step(int close, SerializableString[] open, SerializableString name) {
	}

	private static final Step[] STEPS = new Step[EngagementDocuments.ROW_COLUMNS.size()];

	/** The objects the last column leaves open. */
	private static final int CLOSED_AT_END;

	static {
		String[] parents = new String[0];
		for (int i = 0; i < STEPS.length; i++) {
			String[] path = EngagementDocuments.ROW_COLUMNS.get(i).path();
			String[] next = java.util.Arrays.copyOf(path, path.length - 1);
			int shared = 0;
			while (shared < parents.length && shared < next.length && parents[shared].equals(next[shared])) {
				shared++;
			}
			STEPS[i] = new Step(parents.length - shared,
					java.util.Arrays.stream(next, shared, next.length)
						.map(SerializedString::new)
						.toArray(SerializableString[]::new),
					new SerializedString(path[path.length - 1]));
			parents = next;
		}
		CLOSED_AT_END = parents.length;
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
