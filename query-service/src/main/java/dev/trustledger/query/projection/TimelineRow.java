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
	 * mapper, byte for byte (TimelineBucketsTest), without making it: its field names
	 * encoded once, its values as they were read. Making each of a hundred points and
	 * writing them through Jackson's databind took about 115 µs, this about 70 µs; with
	 * the model changes kept in memory, a first whole-timeline read went from 1.41 to
	 * 1.34 ms of the query service's CPU under the read load driver (docs/performance.md,
	 * runs 27 to 29).
	 */
	public void writePoint(JsonGenerator json) throws IOException {
		json.writeStartObject();
		json.writeFieldName(Names.SEQUENCE);
		json.writeNumber(sequence());
		json.writeFieldName(Names.EVENT_ID);
		json.writeString(eventId());
		json.writeFieldName(Names.EVENT_TYPE);
		json.writeString((String) this.values.get(EVENT_TYPE));
		json.writeFieldName(Names.OCCURRED_AT);
		String occurredAt = occurredAt();
		Instant instant = Timestamps.direct(occurredAt);
		json.writeString((instant != null && Timestamps.printsAs(instant, occurredAt)) ? occurredAt
				: Timestamps.parse(occurredAt).toString());
		decimal(json, Names.TRUST, TRUST);
		json.writeFieldName(Names.COMPONENTS);
		components(json, CREDIBILITY, RELIABILITY, INTIMACY, SELF_ORIENTATION);
		json.writeFieldName(Names.BAND);
		json.writeString(Band.valueOf((String) this.values.get(BAND)).name());
		decimal(json, Names.MUTUAL, MUTUAL);
		decimal(json, Names.VENDOR, VENDOR);
		decimal(json, Names.CLIENT, CLIENT);
		json.writeFieldName(Names.EXPLANATION);
		json.writeStartObject();
		decimal(json, Names.TRUST_CHANGE, TRUST_CHANGE);
		json.writeFieldName(Names.TRUST_CONTRIBUTIONS);
		components(json, CREDIBILITY_CHANGE, RELIABILITY_CHANGE, INTIMACY_CHANGE, SELF_ORIENTATION_CHANGE);
		decimal(json, Names.MUTUAL_CHANGE, MUTUAL_CHANGE);
		json.writeFieldName(Names.MUTUAL_CONTRIBUTIONS);
		json.writeStartObject();
		decimal(json, Names.VENDOR_SIDE, VENDOR_CHANGE);
		decimal(json, Names.CLIENT_SIDE, CLIENT_CHANGE);
		json.writeEndObject();
		json.writeEndObject();
		json.writeFieldName(Names.MODEL_VERSION);
		json.writeString(modelVersion());
		json.writeEndObject();
	}

	private void components(JsonGenerator json, int credibility, int reliability, int intimacy, int selfOrientation)
			throws IOException {
		json.writeStartObject();
		decimal(json, Names.CREDIBILITY, credibility);
		decimal(json, Names.RELIABILITY, reliability);
		decimal(json, Names.INTIMACY, intimacy);
		decimal(json, Names.SELF_ORIENTATION, selfOrientation);
		json.writeEndObject();
	}

	private void decimal(JsonGenerator json, SerializableString name, int column) throws IOException {
		json.writeFieldName(name);
		json.writeNumber(decimal(column));
	}

	/** The JSON names of a point's fields, each encoded once. */
	private static final class Names {

		static final SerializableString SEQUENCE = new SerializedString("sequence");

		static final SerializableString EVENT_ID = new SerializedString("eventId");

		static final SerializableString EVENT_TYPE = new SerializedString("eventType");

		static final SerializableString OCCURRED_AT = new SerializedString("occurredAt");

		static final SerializableString TRUST = new SerializedString("trust");

		static final SerializableString COMPONENTS = new SerializedString("components");

		static final SerializableString CREDIBILITY = new SerializedString("credibility");

		static final SerializableString RELIABILITY = new SerializedString("reliability");

		static final SerializableString INTIMACY = new SerializedString("intimacy");

		static final SerializableString SELF_ORIENTATION = new SerializedString("selfOrientation");

		static final SerializableString BAND = new SerializedString("band");

		static final SerializableString MUTUAL = new SerializedString("mutualResponsibility");

		static final SerializableString VENDOR = new SerializedString("vendorOwnership");

		static final SerializableString CLIENT = new SerializedString("clientOwnership");

		static final SerializableString EXPLANATION = new SerializedString("explanation");

		static final SerializableString TRUST_CHANGE = new SerializedString("trustChange");

		static final SerializableString TRUST_CONTRIBUTIONS = new SerializedString("trustContributions");

		static final SerializableString MUTUAL_CHANGE = new SerializedString("mutualChange");

		static final SerializableString MUTUAL_CONTRIBUTIONS = new SerializedString("mutualContributions");

		static final SerializableString VENDOR_SIDE = new SerializedString("vendor");

		static final SerializableString CLIENT_SIDE = new SerializedString("client");

		static final SerializableString MODEL_VERSION = new SerializedString("modelVersion");

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
