package dev.trustledger.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/events.md is the public Kafka contract: it must show every event type, and its
 * examples must read.
 */
class EventContractDocumentationTest {

	private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL);

	private static final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
		.setSerializationInclusion(JsonInclude.Include.NON_NULL);

	private static final Map<String, JsonNode> examples = new HashMap<>();

	@BeforeAll
	static void readExamples() throws IOException {
		Matcher blocks = JSON_BLOCK.matcher(Files.readString(Path.of("..", "docs", "events.md")));
		while (blocks.find()) {
			JsonNode example = json.readTree(blocks.group(1));
			examples.put(example.path("type").asText(), example);
		}
	}

	@Test
	void everyEventTypeHasAnExample() {
		assertThat(EngagementEventTypes.all()).isNotEmpty();
		for (Class<? extends EngagementEvent> type : EngagementEventTypes.all()) {
			assertThat(examples).as("example of %s in docs/events.md", type.getSimpleName())
				.containsKey(EngagementEventTypes.typeOf(type));
		}
	}

	@Test
	void everyExampleReadsIntoItsEventAndBackWithoutLoss() throws IOException {
		for (JsonNode example : examples.values()) {
			Class<? extends EngagementEvent> type = EngagementEventTypes.classOf(example.path("type").asText())
				.orElseThrow(() -> new AssertionError("unknown type " + example.path("type")));
			EngagementEvent event = json.treeToValue(example.path("data"), type);

			JsonNode written = json.valueToTree(event);
			assertThat(written).isEqualTo(example.path("data"));
			assertThat(example.path("subject").asText()).isEqualTo(event.engagementId());
			assertThat(example.path("source").asText()).isEqualTo(EventEnvelope.SOURCE_PREFIX + event.engagementId());
			assertThat(example.path(EventEnvelope.OCCURRED_AT).asText()).isEqualTo(event.occurredAt().toString());
			assertThat(example.path(EventEnvelope.RECORDED_BY).asText()).isEqualTo(event.recordedBy());
			assertThat(example.path(EventEnvelope.SEQUENCE).asText()).matches("\\d+");
		}
	}

	@Test
	void typeNamesCarryTheRevisionAndReadBack() {
		assertThat(EngagementEventTypes.typeOf(dev.trustledger.events.promise.PromiseBroken.class))
			.isEqualTo("trustledger.engagement.PromiseBroken.v1");
		for (Class<? extends EngagementEvent> type : EngagementEventTypes.all()) {
			assertThat(EngagementEventTypes.classOf(EngagementEventTypes.typeOf(type))).contains(type);
		}
		assertThat(EngagementEventTypes.classOf("trustledger.engagement.PromiseBroken.v9")).isEmpty();
	}

}
