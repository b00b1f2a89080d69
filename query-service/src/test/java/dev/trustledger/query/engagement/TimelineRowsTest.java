package dev.trustledger.query.engagement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.query.ServiceJson;
import dev.trustledger.query.projection.EngagementDocuments;
import dev.trustledger.query.projection.TimelineRow;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A timeline answer written from its rows is the answer the service's mapper writes from
 * its points, byte for byte: with and without a range, points and model changes.
 */
class TimelineRowsTest {

	private final ObjectMapper mapper = ServiceJson.mapper();

	@Test
	void anAnswerWrittenFromItsRowsIsTheAnswerTheMapperWrites() throws Exception {
		StringBuilder text = new StringBuilder("[");
		for (int sequence = 1; sequence <= 30; sequence++) {
			text.append((sequence > 1) ? "," : "")
				.append("[" + sequence + ",\"event-" + sequence + "\",\"PromiseBroken\",\"2026-04-"
						+ String.format("%02d", sequence) + "T08:15:00." + (100 + sequence) + "Z\"," + (40 + sequence)
						+ ".5,60.25,70,55.1,20.05,\"WATCH\",48.75,52.5,45,-1.25,-0.5,-0.25,-0.25,-0.25,0.75,0.5,"
						+ "0.25,\"v1\"]");
		}
		List<TimelineRow> rows = EngagementDocuments
			.timelineRows(new Document("_id", "e-7#2026-04").append("rows", text.append("]").toString()));
		assertThat(rows).hasSize(30);
		List<TimelineAnswer.ModelChange> changes = List.of(
				new TimelineAnswer.ModelChange(Instant.parse("2026-04-03T00:00:00Z"), "v1", "v2-harsh", 3),
				new TimelineAnswer.ModelChange(Instant.parse("2026-04-09T12:00:00.5Z"), "v2-harsh", "v1", 4));
		List<TimelineRows> answers = new ArrayList<>();
		answers.add(new TimelineRows("e-7", "event", null, null, 1000, 30, false, rows, List.of(),
				"/api/engagements/e-7/export?format=csv"));
		answers.add(new TimelineRows("e-7", "day", Instant.parse("2026-04-02T00:00:00Z"),
				Instant.parse("2026-04-20T23:59:59.999Z"), 10, 19, true, rows.subList(1, 11), changes,
				"/api/engagements/e-7/export?format=csv&from=2026-04-02T00:00:00Z"));
		answers.add(new TimelineRows("e \"7\" \ud83d\ude80", "week", Instant.parse("2026-04-02T00:00:00Z"), null, 2, 0,
				false, List.of(), changes.subList(0, 1), null));
		for (TimelineRows answer : answers) {
			String expected = new String(this.mapper.writeValueAsBytes(answer.answer()),
					java.nio.charset.StandardCharsets.UTF_8);
			assertThat(new String(json(answer), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(expected);
		}
		// what the test compares holds what the answer is about
		assertThat(this.mapper.readTree(json(answers.get(1))).path("points").get(0).path("sequence").asLong())
			.isEqualTo(2);
	}

	@Test
	void anAnswerIsWrittenWholeIntoAStreamThatStaysOpen() throws Exception {
		TimelineRows answer = new TimelineRows("e-7", "event", null, null, 1000, 0, false, List.of(), List.of(), null);
		java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		// unbuffered by the stream: what the generator leaves unflushed is missing
		java.io.OutputStream out = new java.io.FilterOutputStream(bytes) {
			@Override
			public void close() {
				closed.set(true);
			}
		};
		answer.writeTo(out, this.mapper);
		assertThat(closed).isFalse();
		assertThat(bytes.toByteArray()).isEqualTo(this.mapper.writeValueAsBytes(answer.answer()));
	}

	private byte[] json(TimelineRows answer) throws java.io.IOException {
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		answer.writeTo(bytes, this.mapper);
		return bytes.toByteArray();
	}

}
