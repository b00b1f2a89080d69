package dev.trustledger.system;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP on the command service, a real Kafka broker in between, the projection on the
 * query service.
 */
class IncidentFlowsEndToEndIT {

	@TempDir
	static Path dataDir;

	static SystemUnderTest system;

	@BeforeAll
	static void start() {
		// JSON logs (one property), with the lines a trace is followed by
		system = new SystemUnderTest("end-to-end", dataDir)
			.withServiceArgs(List.of("--logging.structured.format.console=ecs",
					"--logging.level.dev.trustledger.command.web.CommandOutcomes=DEBUG",
					"--logging.level.dev.trustledger.query.projection.EngagementEventListener=DEBUG",
					"--logging.level.dev.trustledger.query.webhook.Dispatcher=DEBUG"))
			.start();
	}

	@AfterAll
	static void stop() {
		if (system != null) {
			system.close();
		}
	}

	@Test
	void aBrokenPromiseRecordedOverHttpReachesTheProjectionThroughKafka() {
		HttpResponse<String> opened = system.post("/api/engagements", """
				{"engagementId": "atlas-clinics", "clientName": "Atlas Clinics", "accountTeam": "Team Meridian",
				 "deliveryLead": "Noor Haddad", "sponsor": "CFO Lena Varga", "openedAt": "2026-03-02T09:00:00Z"}
				""");
		assertThat(opened.statusCode()).isEqualTo(201);
		assertThat(opened.headers().firstValue("Location")).hasValue("/api/engagements/atlas-clinics");

		HttpResponse<String> broken = system.post("/api/engagements/atlas-clinics/incidents", """
				{"incidentId": "0b7c6f64-2f4e-4a55-9d0b-5b8f3f7c2a10", "type": "PROMISE_BROKEN", "party": "VENDOR",
				 "severity": 4, "occurredAt": "2026-04-14T16:30:00Z",
				 "note": "The monthly reconciliation we committed to was skipped; our own audit found it."}
				""");
		assertThat(broken.statusCode()).isEqualTo(201);
		assertThat(SystemUnderTest.parse(broken.body()).path("sequence").asLong()).isEqualTo(1);

		JsonNode projection = await().atMost(Duration.ofSeconds(60))
			.until(() -> system.engagement("atlas-clinics"),
					(engagement) -> engagement != null && engagement.path("eventCount").asInt() == 2);
		assertThat(projection.path("clientName").asText()).isEqualTo("Atlas Clinics");
		assertThat(projection.path("sponsor").asText()).isEqualTo("CFO Lena Varga");
		assertThat(projection.path("lastSequence").asLong()).isEqualTo(1);
		assertThat(projection.path("brokenPromises").path("vendor").asInt()).isEqualTo(1);
		assertThat(projection.path("lastEventAt").asText()).isEqualTo("2026-04-14T16:30:00Z");
		JsonNode incident = SystemUnderTest.parse(system.query("/api/engagements/atlas-clinics/events").body())
			.path("events")
			.get(1);
		assertThat(incident.path("type").asText()).isEqualTo("trustledger.engagement.PromiseBroken.v1");
		assertThat(incident.path("data").path("severity").asInt()).isEqualTo(4);
		assertThat(incident.path("occurredAt").asText()).isEqualTo("2026-04-14T16:30:00Z");
		assertThat(projection.has("sequenceGaps")).isFalse();
	}

	/**
	 * Each incident is sent with a W3C {@code traceparent} of its own, as a traced caller
	 * would: its trace id is found on the command service's log line for the incident, on
	 * the query service's line for its projection, and on the webhook its alert causes.
	 */
	@Test
	void oneTraceRunsFromTheRequestThroughKafkaAndTheProjectionToTheWebhookAndNoSecretIsLogged() throws Exception {
		List<String> received = new CopyOnWriteArrayList<>();
		HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/hook", (exchange) -> {
			received.add(exchange.getRequestHeaders().getFirst("webhook-id") + " "
					+ exchange.getRequestHeaders().getFirst("traceparent"));
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		receiver.start();
		try {
			HttpResponse<String> subscribed = system.post(system.queryService(), "/api/webhooks", """
					{"url": "http://127.0.0.1:%d/hook", "deliveryLeads": ["Osprey Lead"]}"""
				.formatted(receiver.getAddress().getPort()), system.user("ADMIN"));
			assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
			String secret = SystemUnderTest.parse(subscribed.body()).path("secret").asText();
			assertThat(system.post("/api/engagements", """
					{"engagementId": "osprey-freight", "clientName": "Osprey Freight", "accountTeam": "Team Tern",
					 "deliveryLead": "Osprey Lead", "openedAt": "2026-03-02T09:00:00Z"}""").statusCode())
				.isEqualTo(201);

			Map<Long, String> traceBySequence = new HashMap<>();
			Map<Long, String> incidentBySequence = new HashMap<>();
			HttpClient http = HttpClient.newHttpClient();
			for (int day = 1; day <= 5; day++) {
				String traceId = UUID.randomUUID().toString().replace("-", "");
				String incidentId = UUID.randomUUID().toString();
				HttpResponse<String> recorded = http.send(HttpRequest
					.newBuilder(system.commandService().baseUri().resolve("/api/engagements/osprey-freight/incidents"))
					.header("Content-Type", "application/json")
					.header("Authorization", system.user("ACCOUNT_TEAM").basicAuthorization())
					.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
					.POST(HttpRequest.BodyPublishers.ofString("""
							{"incidentId": "%s", "type": "PROMISE_BROKEN", "party": "VENDOR", "severity": 5,
							 "occurredAt": "2026-03-0%dT10:00:00Z"}""".formatted(incidentId, day + 2)))
					.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
				long sequence = SystemUnderTest.parse(recorded.body()).path("sequence").asLong();
				traceBySequence.put(sequence, traceId);
				incidentBySequence.put(sequence, incidentId);
			}
			await().atMost(Duration.ofSeconds(60))
				.until(() -> system.engagement("osprey-freight"),
						(engagement) -> engagement != null && engagement.path("lastSequence").asLong() == 5);
			await().atMost(Duration.ofSeconds(60)).until(() -> !received.isEmpty());

			// a line is written once what it tells of is done: the projection can be seen
			// a moment before its line is in the file
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				List<JsonNode> commandLog = jsonLines(system.commandService().logFile());
				List<JsonNode> queryLog = jsonLines(system.queryService().logFile());
				traceBySequence.forEach((sequence, traceId) -> {
					assertThat(commandLog).as("the command service's line for incident #" + sequence)
						.anySatisfy((line) -> {
							assertThat(line.toString()).contains(traceId);
							assertThat(line.path("message").asText()).contains(incidentBySequence.get(sequence));
						});
					assertThat(queryLog).as("the query service's line for the projection of #" + sequence)
						.anySatisfy((line) -> {
							assertThat(line.toString()).contains(traceId);
							assertThat(line.path("message").asText()).startsWith("Projected event")
								.contains("#" + sequence + " of engagement osprey-freight");
						});
				});
			});
			for (String delivery : received) {
				String alertId = delivery.split(" ")[0];
				long causedBy = Long.parseLong(alertId.substring(alertId.lastIndexOf(':') + 1));
				assertThat(delivery.split(" ")[1]).as("the webhook of " + alertId)
					.startsWith("00-" + traceBySequence.get(causedBy) + "-");
			}

			String logs = Files.readString(system.commandService().logFile())
					+ Files.readString(system.queryService().logFile());
			assertThat(logs).doesNotContain(secret, secret.substring("whsec_".length()));
			for (String role : List.of("ACCOUNT_TEAM", "DELIVERY_LEAD", "ANALYST", "ADMIN")) {
				assertThat(logs).doesNotContain(system.user(role).password());
			}
		}
		finally {
			receiver.stop(0);
		}
	}

	/** A service's log lines that are JSON: all of them once logging has started. */
	private static List<JsonNode> jsonLines(Path log) throws Exception {
		List<JsonNode> lines = new ArrayList<>();
		// a line still being written (the last, not ended yet) is read the next time;
		// its bytes may stop within a character
		String written = new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8);
		String[] complete = written.substring(0, written.lastIndexOf('\n') + 1).split("\n");
		for (String line : complete) {
			if (line.startsWith("{")) {
				lines.add(SystemUnderTest.parse(line));
			}
		}
		assertThat(lines).isNotEmpty();
		return lines;
	}

	@Test
	void aRejectedIncidentAnswersWithAProblemAndStoresNothing() {
		system.post("/api/engagements", """
				{"engagementId": "kestrel-bank", "clientName": "Kestrel Bank", "accountTeam": "Team Solent",
				 "deliveryLead": "Ivo Marsh", "openedAt": "2026-05-01T09:00:00Z"}
				""");
		HttpResponse<String> beforeOpening = system.post("/api/engagements/kestrel-bank/incidents", """
				{"incidentId": "6a0d9f1e-4c1b-4a8e-8b1d-1c2d3e4f5a61", "type": "PROMISE_BROKEN", "party": "CLIENT",
				 "severity": 2, "occurredAt": "2026-04-30T09:00:00Z"}
				""");
		HttpResponse<String> invalid = system.post("/api/engagements/kestrel-bank/incidents", """
				{"incidentId": "not-a-uuid", "type": "PROMISE_BROKEN", "party": "CLIENT", "severity": 2,
				 "occurredAt": "2026-05-03T09:00:00Z"}
				""");
		HttpResponse<String> unknown = system.post("/api/engagements/no-such-engagement/incidents", """
				{"incidentId": "6a0d9f1e-4c1b-4a8e-8b1d-1c2d3e4f5a62", "type": "PROMISE_BROKEN", "party": "CLIENT",
				 "severity": 2, "occurredAt": "2026-05-03T09:00:00Z"}
				""");

		assertProblem(beforeOpening, 422, "occurred-before-opening", "occurredAt");
		assertProblem(invalid, 400, "invalid-field", "incidentId");
		assertProblem(unknown, 404, "engagement-not-found", "engagementId");
		// a later valid incident gets sequence 1: none of the rejections stored an event
		HttpResponse<String> valid = system.post("/api/engagements/kestrel-bank/incidents", """
				{"incidentId": "6a0d9f1e-4c1b-4a8e-8b1d-1c2d3e4f5a63", "type": "PROMISE_BROKEN", "party": "CLIENT",
				 "severity": 2, "occurredAt": "2026-05-03T09:00:00Z"}
				""");
		assertThat(SystemUnderTest.parse(valid.body()).path("sequence").asLong()).isEqualTo(1);
		JsonNode projection = await().atMost(Duration.ofSeconds(60))
			.until(() -> system.engagement("kestrel-bank"),
					(engagement) -> engagement != null && engagement.path("eventCount").asInt() == 2);
		assertThat(projection.path("brokenPromises").path("client").asInt()).isEqualTo(1);
		assertThat(system.query("/api/engagements/no-such-engagement").statusCode()).isEqualTo(404);
	}

	private static void assertProblem(HttpResponse<String> response, int status, String code, String field) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = SystemUnderTest.parse(response.body());
		assertThat(problem.path("code").asText()).isEqualTo(code);
		assertThat(problem.path("field").asText()).isEqualTo(field);
		assertThat(problem.path("status").asInt()).isEqualTo(status);
	}

}
