package dev.trustledger.query.engagement;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.query.projection.TimelineRow;

/**
 * A {@link TimelineAnswer} before it is written, its points still the rows they were read
 * as: written straight to JSON, byte for byte as the answer is written by the object
 * mapper ({@code TimelineRowsTest}), without making a point of each row.
 *
 * @param rows the points of the answer, as stored rows
 */
record TimelineRows(String engagementId, String granularity, Instant from, Instant to, int maxPoints, int pointsInRange,
		boolean reduced, List<TimelineRow> rows, List<TimelineAnswer.ModelChange> modelChanges, String everyPoint) {

	/** The answer this is, its points made. */
	TimelineAnswer answer() {
		return new TimelineAnswer(this.engagementId, this.granularity, this.from, this.to, this.maxPoints,
				this.pointsInRange, this.reduced, this.rows.stream().map(TimelineRow::point).toList(),
				this.modelChanges, this.everyPoint);
	}

	/**
	 * Writes the answer as JSON in the fields' order of {@link TimelineAnswer}; the few
	 * values that are not points (instants, model changes) go through {@code mapper} as
	 * they are. {@code out} is flushed, not closed.
	 */
	void writeTo(OutputStream out, ObjectMapper mapper) throws IOException {
		try (JsonGenerator json = mapper.createGenerator(out, JsonEncoding.UTF8)
			.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
			json.writeStartObject();
			json.writeStringField("engagementId", this.engagementId);
			json.writeStringField("granularity", this.granularity);
			json.writeFieldName("from");
			json.writeObject(this.from);
			json.writeFieldName("to");
			json.writeObject(this.to);
			json.writeNumberField("maxPoints", this.maxPoints);
			json.writeNumberField("pointsInRange", this.pointsInRange);
			json.writeBooleanField("reduced", this.reduced);
			json.writeFieldName("points");
			json.writeStartArray();
			for (TimelineRow row : this.rows) {
				row.writePoint(json);
			}
			json.writeEndArray();
			json.writeFieldName("modelChanges");
			json.writeObject(this.modelChanges);
			json.writeStringField("everyPoint", this.everyPoint);
			json.writeEndObject();
		}
	}

}
