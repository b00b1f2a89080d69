package dev.trustledger.query.parking;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.infra.DemoUsers;
import dev.trustledger.infra.EmbeddedInfrastructure;
import dev.trustledger.query.QueryServiceApplication;
import dev.trustledger.query.fixtures.PublishedEvents;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A record that cannot be applied does not fail a rebuild: the replay reports it, holds
 * back its engagement's later records, rebuilds everything else and becomes current; the
 * record is parked for the live projection, so that the engagement is completed by a
 * retry after a fix.
 */
class ParkedReplayIT {

	private static final String TOPIC = "trustledger.engagement-events";

	private static final ObjectMapper json = new ObjectMapper();

	@TempDir
	static Path dataDir;

	static EmbeddedInfrastructure infra;

	static ConfigurableApplicationContext service;

	static DemoUsers users;

	static KafkaProducer<String, byte[]> producer;

	static final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void start() {
		infra = new EmbeddedInfrastructure(EmbeddedInfrastructure.Settings.onFreePorts(dataDir)).start();
		users = DemoUsers.in(dataDir);
		List<String> args = new ArrayList<>(List.of("--server.port=0",
				// alerts the passing of time raises follow the wall clock: off, so that
				// what a
				// test sees does not depend on when a sweep ran
				"--trustledger.alerts.sweep-interval=0",
				"--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
				"--spring.data.mongodb.uri=" + infra.mongoConnectionString() + "/trustledger-query",
				"--trustledger.projection.retry.attempts=1", "--trustledger.projection.retry.initial-interval=50ms"));
		args.addAll(users.springArgs());
		service = new SpringApplicationBuilder(QueryServiceApplication.class).run(args.toArray(String[]::new));
		Properties props = new Properties();
		props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
		props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		producer = new KafkaProducer<>(props);
	}

	@AfterAll
	static void stop() {
		producer.close();
		service.close();
		infra.close();
	}

	@Test
	void aRebuildReportsWhatItCannotApplyAndCompletesEverythingElse() throws Exception {
		send("held", event("held", 0, "EngagementOpened", """
				{"engagementId":"held","clientName":"Held","accountTeam":"Team","deliveryLead":"Lead",
				 "openedAt":"2026-01-01T00:00:00Z","recordedBy":"alice"}"""));
		send("held", "{not json".getBytes(StandardCharsets.UTF_8));
		send("held", broken("held", 2));
		send("fine", event("fine", 0, "EngagementOpened", """
				{"engagementId":"fine","clientName":"Fine","accountTeam":"Team","deliveryLead":"Lead",
				 "openedAt":"2026-01-01T00:00:00Z","recordedBy":"alice"}"""));
		send("fine", broken("fine", 1));
		await().atMost(Duration.ofSeconds(60)).until(() -> parked().path("count").asInt() == 2);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> json.readTree(get("/api/engagements/fine").body()).path("lastSequence").asInt() == 1);

		HttpResponse<String> started = send("POST", "/api/replays", "ANALYST");
		assertThat(started.statusCode()).isEqualTo(202);
		String id = json.readTree(started.body()).path("id").asText();
		JsonNode done = await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> json.readTree(get("/api/replays/" + id).body()),
					(replay) -> List.of("DONE", "CANCELLED", "FAILED").contains(replay.path("phase").asText()));

		assertThat(done.path("phase").asText()).as(done.toString()).isEqualTo("DONE");
		assertThat(done.path("parkedRecords").asInt()).isEqualTo(2);
		assertThat(done.path("parked").get(0).path("engagementId").asText()).isEqualTo("held");
		assertThat(done.path("parked").get(0).path("reason").asText()).contains("Unreadable");
		assertThat(done.path("parked").get(1).path("reason").asText()).contains("waiting behind");
		assertThat(json.readTree(get("/api/generations").body()).path("current").asInt())
			.isEqualTo(Integer.parseInt(id));
		// the new generation holds everything else, and the held engagement up to its
		// last good event
		assertThat(json.readTree(get("/api/engagements/fine").body()).path("lastSequence").asInt()).isEqualTo(1);
		assertThat(json.readTree(get("/api/engagements/held").body()).path("lastSequence").asInt()).isZero();
		// parked once each, whether the live projection or the replay found them
		assertThat(parked().path("count").asInt()).isEqualTo(2);

		String garbage = parked().path("records").get(0).path("id").asText();
		assertThat(send("DELETE", "/api/parked/" + garbage, "ADMIN").statusCode()).isEqualTo(204);
		JsonNode retried = json.readTree(send("POST", "/api/parked/retry", "ADMIN").body());
		assertThat(retried.path("projected").asInt()).isEqualTo(1);
		assertThat(json.readTree(get("/api/engagements/held").body()).path("lastSequence").asInt()).isEqualTo(2);
		assertThat(parked().path("count").asInt()).isZero();
	}

	private static JsonNode parked() throws Exception {
		return json.readTree(send("GET", "/api/parked", "ADMIN").body());
	}

	private static byte[] broken(String engagementId, long sequence) {
		return event(engagementId, sequence, "PromiseBroken", """
				{"engagementId":"%s","incidentId":"i%d","party":"VENDOR","severity":3,"description":"missed",
				 "occurredAt":"2026-02-01T00:00:00Z","recordedBy":"alice"}""".formatted(engagementId, sequence));
	}

	private static byte[] event(String engagementId, long sequence, String type, String data) {
		try (CloudEventSerializer serializer = new CloudEventSerializer()) {
			serializer.configure(java.util.Map.of(CloudEventSerializer.ENCODING_CONFIG, Encoding.STRUCTURED,
					CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE), false);
			return serializer.serialize(TOPIC, new RecordHeaders(), PublishedEvents.envelope(engagementId,
					engagementId + "-" + sequence, sequence, "trustledger.engagement." + type + ".v1", data));
		}
	}

	private static void send(String key, byte[] value) throws Exception {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPIC, key, value);
		record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
		producer.send(record).get();
	}

	private static HttpResponse<String> get(String path) throws Exception {
		return send("GET", path, "ANALYST");
	}

	private static HttpResponse<String> send(String method, String path, String role) throws Exception {
		String port = service.getEnvironment().getProperty("local.server.port");
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", users.withRole(role).basicAuthorization())
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
