package dev.trustledger.cli;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.infra.DemoUsers;
import dev.trustledger.infra.EmbeddedInfrastructure;
import dev.trustledger.query.QueryServiceApplication;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The command line against a real query service, broker and MongoDB-wire server: a
 * rebuild followed to the end, a candidate model uploaded, run, compared and promoted,
 * exports written to files, and rejections turned into exit code 3.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrustLedgerCliIT {

	private static final ObjectMapper json = new ObjectMapper();

	private static final int ENGAGEMENTS = 5;

	private static final int EVENTS_EACH = 6;

	@TempDir
	static Path dataDir;

	@TempDir
	static Path work;

	static EmbeddedInfrastructure infra;

	static ConfigurableApplicationContext service;

	static DemoUsers users;

	static Path passwordFile;

	@BeforeAll
	static void start() throws Exception {
		infra = new EmbeddedInfrastructure(EmbeddedInfrastructure.Settings.onFreePorts(dataDir)).start();
		users = DemoUsers.in(dataDir);
		List<String> args = new ArrayList<>(
				List.of("--server.port=0", "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
						"--spring.data.mongodb.uri=" + infra.mongoConnectionString() + "/trustledger-query",
						// the webhook receiver is on this machine
						"--trustledger.webhooks.allow-private-targets=true",
						// alerts the passing of time raises follow the wall clock: off
						"--trustledger.alerts.sweep-interval=0"));
		args.addAll(users.springArgs());
		service = new SpringApplicationBuilder(QueryServiceApplication.class).run(args.toArray(String[]::new));
		passwordFile = work.resolve("password");
		Files.writeString(passwordFile, users.withRole("ANALYST").password());
		Properties props = new Properties();
		props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
		props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class);
		props.put(CloudEventSerializer.ENCODING_CONFIG, "STRUCTURED");
		props.put(CloudEventSerializer.EVENT_FORMAT_CONFIG, "application/cloudevents+json");
		try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(props)) {
			for (int e = 0; e < ENGAGEMENTS; e++) {
				String id = "cli-" + e;
				producer.send(new ProducerRecord<>("trustledger.engagement-events", id,
						envelope(id, 0, "EngagementOpened",
								"""
										{"engagementId":"%s","clientName":"Client %s","accountTeam":"Team","deliveryLead":"Lead",
										 "sponsor":"Sam","openedAt":"2026-01-05T09:00:00Z","recordedBy":"ava"}"""
									.formatted(id, id))));
				for (int i = 1; i < EVENTS_EACH; i++) {
					String type = (i + e) % 2 == 0 ? "PromiseBroken" : "ResponsibilityTaken";
					producer.send(new ProducerRecord<>("trustledger.engagement-events", id, envelope(id, i, type, """
							{"engagementId":"%s","incidentId":"%s-%d","party":"VENDOR","severity":%d,"description":"x",
							 "occurredAt":"2026-0%d-10T09:00:00Z","recordedBy":"ava"}""".formatted(id, id, i,
							1 + (i + e) % 5, i + 1))));
				}
			}
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			Result result = cli("export", "events", "--engagement", "cli-" + (ENGAGEMENTS - 1), "-o",
					work.resolve("probe.ndjson").toString());
			return result.exit() == 0 && Files.readAllLines(work.resolve("probe.ndjson")).size() == EVENTS_EACH;
		});
	}

	@AfterAll
	static void stop() {
		service.close();
		infra.close();
	}

	@Test
	@Order(1)
	void aRebuildIsFollowedToTheEndAndBecomesCurrent() {
		Result result = cli("replay", "start", "--follow");
		assertThat(result.exit()).as(result.err()).isZero();
		assertThat(result.out()).contains("\"phase\" : \"DONE\"");
		assertThat(result.err()).contains("[" + "#".repeat(30) + "] 100%");
		Result list = cli("replay", "list");
		assertThat(list.out()).contains("REBUILD").contains("DONE");
		Result cancelFinished = cli("replay", "cancel", "1");
		assertThat(cancelFinished.exit()).isEqualTo(3);
		assertThat(cancelFinished.err()).contains("replay-finished");
	}

	@Test
	@Order(2)
	void aBadModelIsRejectedWithExitCodeThreeAndTheParameterAtFault() throws Exception {
		Path bad = work.resolve("bad.yaml");
		Files.writeString(bad,
				shippedModel().replace("version: v1", "version: v2-bad").replaceAll("halfLifeDays: .*", ""));
		Result result = cli("model", "upload", bad.toString());
		assertThat(result.exit()).isEqualTo(3);
		assertThat(result.err()).contains("invalid-model").contains("field halfLifeDays");
	}

	@Test
	@Order(3)
	void aCandidateIsRunComparedAndPromoted() throws Exception {
		Path candidate = work.resolve("v2.yaml");
		Files.writeString(candidate, shippedModel().replace("version: v1", "version: v2-harsh")
			.replaceAll("lossAsymmetry: .*", "lossAsymmetry: 4.0"));
		assertThat(cli("model", "upload", candidate.toString()).exit()).isZero();

		Result run = cli("model", "run", "v2-harsh", "--follow");
		assertThat(run.exit()).as(run.err()).isZero();
		Result compare = cli("model", "compare", "v2-harsh", "--at", "2026-04-01T00:00:00Z", "--json");
		assertThat(compare.exit()).as(compare.err()).isZero();
		JsonNode comparison = json.readTree(compare.out());
		assertThat(comparison.path("engagements")).hasSize(ENGAGEMENTS);
		assertThat(comparison.path("biggestMovers").get(0).path("trustDelta").decimalValue().signum())
			.as("bad news weighs more under the harsher model")
			.isNegative();
		assertThat(cli("model", "compare", "v2-harsh").out()).contains("cli-");
		// side by side; these engagements have no outcome recorded, so nothing is scored
		Result backtest = cli("model", "backtest", "v1", "v2-harsh", "--horizon", "30d");
		assertThat(backtest.exit()).as(backtest.err()).isZero();
		assertThat(backtest.out()).contains("Back-test at 30 days before each outcome: 0 outcomes")
			.contains("v2-harsh   trust")
			.contains("v1         brokenPromises180d");
		assertThat(cli("model", "backtest", "v1", "--horizon", "soon").exit()).isNotZero();

		Result promote = cli("model", "promote", "v2-harsh", "--follow");
		assertThat(promote.exit()).as(promote.err()).isZero();
		Result models = cli("model", "list");
		assertThat(json.readTree(models.out()).path("live").asText()).isEqualTo("v2-harsh");
		JsonNode timeline = api().get("/api/engagements/cli-0/timeline");
		assertThat(timeline.path("modelChanges")).hasSize(1);
		assertThat(timeline.path("modelChanges").get(0).path("fromModel").asText()).isEqualTo("v1");
		assertThat(timeline.path("modelChanges").get(0).path("toModel").asText()).isEqualTo("v2-harsh");
		assertThat(timeline.path("points").get(0).path("modelVersion").asText()).isEqualTo("v2-harsh");
	}

	@Test
	@Order(5)
	void thePortfolioAsOfADateShowsEachEngagementAsItStoodThen() {
		String asOf = "2026-03-15T00:00:00Z";
		JsonNode then = api().get("/api/engagements?asOf=" + asOf + "&sort=trust&direction=asc&size=50");
		assertThat(then.path("items")).hasSize(ENGAGEMENTS);
		JsonNode now = api().get("/api/engagements?size=50");
		boolean anyMoved = false;
		java.math.BigDecimal previous = null;
		for (JsonNode item : then.path("items")) {
			String id = item.path("engagementId").asText();
			JsonNode single = api().get("/api/engagements/" + id + "?asOf=" + asOf);
			assertThat(item.path("trust").decimalValue()).as(id)
				.isEqualByComparingTo(single.path("trust").decimalValue());
			if (previous != null) {
				assertThat(item.path("trust").decimalValue()).isGreaterThanOrEqualTo(previous);
			}
			previous = item.path("trust").decimalValue();
			for (JsonNode current : now.path("items")) {
				if (current.path("engagementId").asText().equals(id)
						&& current.path("trust").decimalValue().compareTo(item.path("trust").decimalValue()) != 0) {
					anyMoved = true;
				}
			}
		}
		assertThat(anyMoved).as("events after the date moved some score").isTrue();
		assertThat(api().get("/api/engagements?asOf=2025-12-01T00:00:00Z").path("items")).as("nothing was open yet")
			.isEmpty();
	}

	private static ApiClient api() {
		return new ApiClient(
				java.net.URI.create("http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port")),
				users.withRole("ANALYST").name(), users.withRole("ANALYST").password());
	}

	@Test
	@Order(4)
	void exportsAreWrittenToFiles() throws Exception {
		Path events = work.resolve("all.ndjson");
		Result all = cli("export", "events", "-o", events.toString());
		assertThat(all.exit()).as(all.err()).isZero();
		List<String> lines = Files.readAllLines(events);
		assertThat(lines).hasSize(ENGAGEMENTS * EVENTS_EACH);
		assertThat(json.readTree(lines.get(0)).path("specversion").asText()).isEqualTo("1.0");
		Path csv = work.resolve("timeline.csv");
		Result timeline = cli("export", "timeline", "cli-0", "-o", csv.toString());
		assertThat(timeline.exit()).as(timeline.err()).isZero();
		List<String> rows = Files.readAllLines(csv);
		assertThat(rows.get(0)).startsWith("sequence,eventId,eventType,occurredAt,trust,band");
		assertThat(rows).hasSize(1 + EVENTS_EACH);
		assertThat(rows.get(1)).contains("v2-harsh");
		Result missing = cli("export", "timeline", "nobody", "-o", work.resolve("none.csv").toString());
		assertThat(missing.exit()).isEqualTo(3);
		assertThat(missing.err()).contains("engagement-not-found");
		assertThat(work.resolve("none.csv")).doesNotExist();
	}

	@Test
	@Order(5)
	void parkedRecordsAreListedDiscardedAndRetriedByAnAdmin() throws Exception {
		Path adminPassword = work.resolve("admin-password");
		Files.writeString(adminPassword, users.withRole("ADMIN").password());
		String[] admin = { "--user", users.withRole("ADMIN").name(), "--password-file", adminPassword.toString() };
		Result forbidden = cli("parked", "list", "--service", "QUERY");
		assertThat(forbidden.exit()).isEqualTo(3);
		assertThat(forbidden.err()).contains("forbidden");
		Properties props = new Properties();
		props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
		props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(props)) {
			raw.send(new ProducerRecord<>("trustledger.engagement-events", "cli-garbage",
					"{not json".getBytes(StandardCharsets.UTF_8)))
				.get();
		}
		await().atMost(Duration.ofSeconds(60))
			.until(() -> cliAs(admin, "parked", "list", "--service", "QUERY").out()
				.contains("Projection: 1 parked records"));
		Result list = cliAs(admin, "parked", "list", "--service", "QUERY");
		assertThat(list.exit()).as(list.err()).isZero();
		assertThat(list.out()).contains("cli-garbage").contains("Unreadable");
		String id = list.out()
			.lines()
			.filter((line) -> line.contains("cli-garbage"))
			.findFirst()
			.orElseThrow()
			.strip()
			.split("\\s+")[1];
		Result stillParked = cliAs(admin, "parked", "retry", "--service", "QUERY");
		assertThat(stillParked.exit()).isEqualTo(1);
		assertThat(stillParked.out()).contains("0 projected, 1 still parked");
		Result discarded = cliAs(admin, "parked", "discard", id, "--service", "QUERY");
		assertThat(discarded.exit()).as(discarded.err()).isZero();
		Result retried = cliAs(admin, "parked", "retry", "--service", "QUERY");
		assertThat(retried.exit()).as(retried.out()).isZero();
		assertThat(cliAs(admin, "parked", "list", "--service", "QUERY").out()).contains("Projection: 0 parked records");
	}

	@Test
	@Order(6)
	void aWebhookIsSubscribedTestedRotatedAndDeletedByAnAdmin() throws Exception {
		Path adminPassword = work.resolve("admin-password");
		Files.writeString(adminPassword, users.withRole("ADMIN").password());
		String[] admin = { "--user", users.withRole("ADMIN").name(), "--password-file", adminPassword.toString() };
		List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
		com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/hook", (exchange) -> {
			received.add(exchange.getRequestHeaders().getFirst("webhook-id"));
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		receiver.start();
		try {
			String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
			Result forbidden = cli("webhooks", "create", "--url", url);
			assertThat(forbidden.exit()).isEqualTo(3);
			assertThat(forbidden.err()).contains("forbidden");
			Result refused = cliAs(admin, "webhooks", "create", "--url", url, "--kind", "NOT_A_KIND");
			assertThat(refused.exit()).isEqualTo(3);
			assertThat(refused.err()).contains("kinds");

			Result created = cliAs(admin, "webhooks", "create", "--url", url, "--kind", "TRUST_DROP", "--delivery-lead",
					"Lead", "--format", "slack", "--description", "the team channel");
			assertThat(created.exit()).as(created.err()).isZero();
			assertThat(created.out()).contains("secret whsec_").contains("format slack").contains("[\"TRUST_DROP\"]");
			String id = created.out().lines().findFirst().orElseThrow().split("\\s+")[0];
			assertThat(id).startsWith("wh_");
			assertThat(cliAs(admin, "webhooks", "list").out()).contains(id).contains(url);

			Result test = cliAs(admin, "webhooks", "test", id);
			assertThat(test.exit()).as(test.out() + test.err()).isZero();
			assertThat(test.out()).startsWith("Delivered: HTTP 204");
			assertThat(received).hasSize(1).allSatisfy((webhookId) -> assertThat(webhookId).startsWith("test:"));
			assertThat(cliAs(admin, "webhooks", "deliveries", id).out()).contains(received.get(0))
				.contains("DELIVERED");

			Result rotated = cliAs(admin, "webhooks", "rotate-secret", id, "--overlap", "PT0S");
			assertThat(rotated.out()).contains("secret whsec_");
			assertThat(rotated.out()).doesNotContain(created.out()
				.lines()
				.filter((line) -> line.contains("secret whsec_"))
				.findFirst()
				.orElseThrow()
				.strip());
			assertThat(cliAs(admin, "webhooks", "disable", id).out()).contains("DISABLED");
			assertThat(cliAs(admin, "webhooks", "delete", id).exit()).isZero();
			Result gone = cliAs(admin, "webhooks", "show", id);
			assertThat(gone.exit()).isEqualTo(3);
			assertThat(gone.err()).contains("webhook-not-found");
		}
		finally {
			receiver.stop(0);
		}
	}

	private static String shippedModel() throws Exception {
		try (InputStream in = TrustLedgerCliIT.class
			.getResourceAsStream("/dev/trustledger/scoring/trust-model-v1.yaml")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static Result cli(String... args) {
		return cliAs(
				new String[] { "--user", users.withRole("ANALYST").name(), "--password-file", passwordFile.toString() },
				args);
	}

	private static Result cliAs(String[] user, String... args) {
		TrustLedgerCli cli = new TrustLedgerCli();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		cli.out = new PrintStream(out, true, StandardCharsets.UTF_8);
		cli.err = new PrintStream(err, true, StandardCharsets.UTF_8);
		cli.terminal = false;
		cli.pollMillis = 100;
		CommandLine commandLine = TrustLedgerCli.commandLine(cli);
		StringWriter picocliErr = new StringWriter();
		commandLine.setErr(new PrintWriter(picocliErr, true));
		List<String> all = new ArrayList<>(
				List.of("--url", "http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port")));
		all.addAll(List.of(user));
		all.addAll(List.of(args));
		int exit = commandLine.execute(all.toArray(String[]::new));
		return new Result(exit, out.toString(StandardCharsets.UTF_8),
				err.toString(StandardCharsets.UTF_8) + picocliErr);
	}

	private record Result(int exit, String out, String err) {
	}

	private static CloudEvent envelope(String engagementId, long sequence, String type, String data) {
		return CloudEventBuilder.v1()
			.withId(engagementId + "-e" + sequence)
			.withType("trustledger.engagement." + type + ".v1")
			.withSource(URI.create("/trustledger/engagements/" + engagementId))
			.withSubject(engagementId)
			.withTime(OffsetDateTime.parse("2026-09-01T00:00:00Z").plusSeconds(sequence))
			.withDataContentType("application/json")
			.withData(data.getBytes(StandardCharsets.UTF_8))
			.withExtension("aggregatesequence", sequence)
			.withExtension("recordedby", "ava")
			.build();
	}

}
