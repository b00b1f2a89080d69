package dev.trustledger.query.export;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An exported event is one NDJSON line, whatever the layout of its data as published. */
class ExportEnvelopeTest {

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void dataPublishedOverSeveralLinesIsExportedOnOneLineWithTheSameContent() throws Exception {
		String data = "{\"engagementId\":\"cli-1\",\r\n  \"sponsor\":\"Sam\",\n  \"occurredAt\":\"2026-01-05T09:00:00Z\"}";
		byte[] line = new JsonFormat().serialize(ExportController.envelope("cli-1", 4, entry(data)));

		assertThat(new String(line, StandardCharsets.UTF_8)).doesNotContain("\n").doesNotContain("\r");
		CloudEvent read = new JsonFormat().deserialize(line);
		assertThat(this.json.readTree(read.getData().toBytes())).isEqualTo(this.json.readTree(data));
	}

	@Test
	void dataOnOneLineIsExportedExactlyAsPublished() {
		String data = "{ \"engagementId\": \"cli-1\", \"sponsor\": \"Sam\", \"occurredAt\": \"2026-01-05T09:00:00Z\" }";
		byte[] line = new JsonFormat().serialize(ExportController.envelope("cli-1", 4, entry(data)));

		assertThat(new String(line, StandardCharsets.UTF_8)).contains(data);
	}

	private static Document entry(String data) {
		return new Document("eventId", "e-4").append("type", "dev.trustledger.engagement.SponsorGained")
			.append("recordedAt", "2026-01-05T10:00:00Z")
			.append("recordedBy", "ava")
			.append("data", data);
	}

}
