package dev.trustledger.system;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.infra.DemoLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An export carries every event in the envelope it has on Kafka, and importing it into an
 * empty Trust Ledger, as an admin, reproduces the same scores, point for point, and the
 * same recording times.
 */
class ExportImportRoundTripIT {

	@TempDir
	Path original;

	@TempDir
	Path copy;

	@Test
	void anExportReimportedIntoAnEmptySystemReproducesEveryScore() throws Exception {
		Map<String, Integer> events = new HashMap<>();
		try (Stream<Path> list = Files.list(SystemUnderTest.home().resolve("seeds/scenarios"))) {
			for (Path file : list.filter((path) -> path.toString().endsWith(".json")).toList()) {
				JsonNode scenario = SystemUnderTest.parse(Files.readString(file));
				events.put(scenario.path("engagement").path("engagementId").asText(),
						1 + scenario.path("incidents").size());
			}
		}
		String export;
		Map<String, List<String>> originalTimelines = new HashMap<>();
		Map<String, JsonNode> originalViews = new HashMap<>();
		try (SystemUnderTest system = new SystemUnderTest("export", this.original).start()) {
			new DemoLoader(SystemUnderTest.home().resolve("seeds"), this.original, system.user("ACCOUNT_TEAM"))
				.loadOnce(system.commandService().baseUri());
			events.forEach((id, count) -> await().atMost(Duration.ofSeconds(90))
				.until(() -> system.engagement(id),
						(view) -> view != null && view.path("eventCount").asInt() == count));
			export = system.query("/api/exports/events.ndjson", system.user("ANALYST")).body();
			assertThat(system.query("/api/exports/events.ndjson", system.user("DELIVERY_LEAD")).statusCode())
				.isEqualTo(403);
			for (String id : events.keySet()) {
				originalViews.put(id, system.engagement(id));
				originalTimelines.put(id, trusts(system, id));
			}
			assertSameEnvelopesAsOnKafka(system, export);
			String one = system.query("/api/engagements/" + events.keySet().iterator().next() + "/events.ndjson")
				.body();
			assertThat(one.lines()).hasSize(events.values().iterator().next());
		}
		List<String> lines = export.lines().toList();
		assertThat(lines).hasSize(events.values().stream().mapToInt(Integer::intValue).sum());

		try (SystemUnderTest system = new SystemUnderTest("import", this.copy).start()) {
			String answer = system
				.post(system.commandService(), "/api/imports", "application/x-ndjson", export, system.user("ADMIN"))
				.body();
			List<String> answers = answer.lines().toList();
			JsonNode summary = SystemUnderTest.parse(answers.get(answers.size() - 1)).path("summary");
			assertThat(summary.path("accepted").asInt()).as(answer).isEqualTo(lines.size());
			assertThat(summary.path("rejected").asInt()).isZero();
			events.forEach((id, count) -> await().atMost(Duration.ofSeconds(90))
				.until(() -> system.engagement(id),
						(view) -> view != null && view.path("eventCount").asInt() == count));
			for (String id : events.keySet()) {
				JsonNode view = system.engagement(id);
				JsonNode before = originalViews.get(id);
				assertThat(view.path("trust").decimalValue()).as(id)
					.isEqualByComparingTo(before.path("trust").decimalValue());
				assertThat(view.path("mutualResponsibility").decimalValue()).as(id)
					.isEqualByComparingTo(before.path("mutualResponsibility").decimalValue());
				assertThat(view.path("band").asText()).as(id).isEqualTo(before.path("band").asText());
				assertThat(trusts(system, id)).as(id).isEqualTo(originalTimelines.get(id));
			}
			// imported by an admin, every event keeps when it was first recorded, so what
			// was known when is reproduced as well
			assertThat(recordingTimes(system.query("/api/exports/events.ndjson", system.user("ANALYST")).body()))
				.isEqualTo(recordingTimes(export));
		}
	}

	/** Each event's recording time, by engagement and sequence. */
	private static Map<String, String> recordingTimes(String export) {
		Map<String, String> times = new HashMap<>();
		export.lines()
			.map(SystemUnderTest::parse)
			.forEach((line) -> times.put(line.path("subject").asText() + "#" + line.path("aggregatesequence").asText(),
					line.path("time").asText()));
		return times;
	}

	private static List<String> trusts(SystemUnderTest system, String id) {
		List<String> trusts = new ArrayList<>();
		SystemUnderTest.parse(system.query("/api/engagements/" + id + "/timeline").body())
			.path("points")
			.forEach((point) -> trusts.add(point.path("occurredAt").asText() + " " + point.path("eventType").asText()
					+ " " + point.path("trust").decimalValue().toPlainString()));
		return trusts;
	}

	/**
	 * Every exported line equals the record on the topic, field for field, but for the
	 * trace context, which says which request recorded the event, not what happened: the
	 * records carry it (the requests here were traced), exports leave it out.
	 */
	private static void assertSameEnvelopesAsOnKafka(SystemUnderTest system, String export) {
		Map<String, JsonNode> exported = new HashMap<>();
		export.lines().map(SystemUnderTest::parse).forEach((line) -> exported.put(line.path("id").asText(), line));
		Map<String, JsonNode> published = new HashMap<>();
		try (KafkaConsumer<String, byte[]> consumer = system.engagementEvents("export-check")) {
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					JsonNode value = SystemUnderTest.parse(new String(record.value(), StandardCharsets.UTF_8));
					assertThat(value.path("traceparent").asText()).as("the trace context")
						.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
					((com.fasterxml.jackson.databind.node.ObjectNode) value)
						.remove(List.of("traceparent", "tracestate"));
					published.put(value.path("id").asText(), value);
				}
				return published.size() >= exported.size();
			});
		}
		assertThat(exported.keySet()).isEqualTo(published.keySet());
		exported.forEach((id, line) -> assertThat(line).as(id).isEqualTo(published.get(id)));
	}

}
