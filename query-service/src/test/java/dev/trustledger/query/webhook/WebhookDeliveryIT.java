package dev.trustledger.query.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.infra.DemoUsers;
import dev.trustledger.infra.EmbeddedInfrastructure;
import dev.trustledger.query.QueryServiceApplication;
import dev.trustledger.query.fixtures.PublishedEvents;
import dev.trustledger.query.fixtures.RandomHistory;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alerts delivered to real HTTP receivers: the query service against a real broker and
 * the MongoDB-wire server, fed engagement events whose trust falls, subscribed over its
 * API. Each test's subscription filters on a delivery lead of its own, so that it gets
 * only its engagements' alerts.
 */
class WebhookDeliveryIT {

	private static final String TOPIC = "trustledger.engagement-events";

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final ObjectMapper json = new ObjectMapper();

	private static final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	static Path dataDir;

	static EmbeddedInfrastructure infra;

	static ConfigurableApplicationContext service;

	static KafkaProducer<String, CloudEvent> producer;

	static DemoUsers users;

	static Receiver receiver;

	@BeforeAll
	static void start() {
		infra = new EmbeddedInfrastructure(EmbeddedInfrastructure.Settings.onFreePorts(dataDir)).start();
		users = DemoUsers.in(dataDir);
		receiver = new Receiver().start();
		List<String> args = new ArrayList<>(List.of("--server.port=0",
				"--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
				"--spring.data.mongodb.uri=" + infra.mongoConnectionString() + "/trustledger-query",
				// the receivers are on this machine
				"--trustledger.webhooks.allow-private-targets=true",
				// alerts the passing of time raises follow the wall clock: off, so that
				// what a
				// receiver gets does not depend on when a sweep ran
				"--trustledger.alerts.sweep-interval=0",
				// retried within a second or two rather than minutes
				"--trustledger.webhooks.retry.initial-interval=200ms", "--trustledger.webhooks.retry.multiplier=2",
				"--trustledger.webhooks.retry.max-interval=1s", "--trustledger.webhooks.poll-interval=100ms",
				// retried every second, a receiver that is down would be disabled after
				// 50
				// failures over all its deliveries, a few seconds with several pending:
				// no test here waits for that, and a slow machine may take longer to
				// raise
				// every alert a test waits for
				"--trustledger.webhooks.disable-after-failures=1000000",
				"--trustledger.webhooks.dashboard-url=https://trust.example.com"));
		args.addAll(users.springArgs());
		service = new SpringApplicationBuilder(QueryServiceApplication.class).run(args.toArray(String[]::new));
		producer = new KafkaProducer<>(RandomHistory.producerProperties(infra.kafkaBootstrapServers()));
	}

	@AfterAll
	static void stop() {
		producer.close();
		service.close();
		receiver.close();
		infra.close();
	}

	@Test
	void aSubscribedReceiverGetsEachAlertOnceSignedAsStandardWebhooksSays() throws Exception {
		JsonNode created = subscribe(Map.of("url", receiver.url("/signed"), "deliveryLeads", List.of("Lead signed"),
				"description", "the signed one"));
		String secret = created.path("secret").asText();
		assertThat(secret).startsWith("whsec_");
		assertThat(created.path("subscription").path("enabled").asBoolean()).isTrue();

		driveIntoAlerts("signed-1", "Lead signed");
		Set<String> alerts = alertIds("signed-1");
		assertThat(alerts).isNotEmpty();

		await().atMost(WAIT).until(() -> receivedIds("/signed").size() >= alerts.size());
		List<Receiver.Request> received = receiver.requests("/signed");
		assertThat(received).hasSize(alerts.size());
		for (Receiver.Request request : received) {
			assertThat(verify(secret, request)).as("the signature of " + request.header("webhook-id")).isTrue();
			assertThat(request.header("Content-Type")).isEqualTo("application/json");
			JsonNode payload = json.readTree(request.body());
			assertThat(payload.path("type").asText()).isEqualTo("trust-alert.raised");
			JsonNode data = payload.path("data");
			assertThat(data.path("alertId").asText()).isEqualTo(request.header("webhook-id"));
			assertThat(data.path("engagement").path("id").asText()).isEqualTo("signed-1");
			assertThat(data.path("engagement").path("deliveryLead").asText()).isEqualTo("Lead signed");
			assertThat(data.path("engagement").path("clientName").asText()).isEqualTo("Client signed-1");
			assertThat(data.path("scores").path("trust").decimalValue())
				.isLessThan(data.path("scores").path("peakTrust").decimalValue());
			assertThat(data.path("cause").path("eventIds")).isNotEmpty();
			assertThat(data.path("links").path("timeline").asText())
				.isEqualTo("https://trust.example.com/engagement.html?id=signed-1");
		}
		assertThat(receivedIds("/signed")).containsExactlyInAnyOrderElementsOf(alerts);
		// a signature made with another secret does not verify: the check can fail
		assertThat(verify("whsec_" + Base64.getEncoder().encodeToString(new byte[32]), received.get(0))).isFalse();

		JsonNode log = json.readTree(call("GET", "/api/webhooks/" + id(created) + "/deliveries", null, "ADMIN").body());
		assertThat(log.path("deliveries")).hasSize(alerts.size());
		log.path("deliveries").forEach((delivery) -> {
			assertThat(delivery.path("state").asText()).isEqualTo("DELIVERED");
			assertThat(delivery.path("attempts").get(0).path("status").asInt()).isEqualTo(200);
		});
	}

	@Test
	void aReceiverDownForAWhileGetsEveryAlertOnceWhenItIsBack() throws Exception {
		try (Receiver flaky = new Receiver().start()) {
			JsonNode created = subscribe(Map.of("url", flaky.url("/flaky"), "deliveryLeads", List.of("Lead flaky")));
			flaky.stop();
			driveIntoAlerts("flaky-1", "Lead flaky");
			driveIntoAlerts("flaky-2", "Lead flaky");
			Set<String> alerts = new HashSet<>(alertIds("flaky-1"));
			alerts.addAll(alertIds("flaky-2"));

			// every delivery failed at least twice while the receiver was down
			await().atMost(WAIT).until(() -> {
				JsonNode deliveries = json
					.readTree(call("GET", "/api/webhooks/" + id(created) + "/deliveries", null, "ADMIN").body())
					.path("deliveries");
				int failing = 0;
				for (JsonNode delivery : deliveries) {
					if (delivery.path("state").asText().equals("PENDING") && delivery.path("attemptCount").asInt() >= 2
							&& delivery.path("attempts").get(0).path("status").asInt() == 0) {
						failing++;
					}
				}
				return failing == alerts.size();
			});
			assertThat(flaky.requests("/flaky")).isEmpty();

			flaky.restart();
			await().atMost(WAIT).until(() -> flaky.requests("/flaky").size() >= alerts.size());
			// whatever was in flight settles; nothing comes twice
			await().during(Duration.ofSeconds(3))
				.atMost(WAIT)
				.until(() -> flaky.requests("/flaky").size() == alerts.size());
			List<String> ids = flaky.requests("/flaky")
				.stream()
				.map((request) -> request.header("webhook-id"))
				.toList();
			assertThat(ids).hasSize(alerts.size()).containsExactlyInAnyOrderElementsOf(alerts);
			JsonNode subscription = json.readTree(call("GET", "/api/webhooks/" + id(created), null, "ADMIN").body());
			assertThat(subscription.path("enabled").asBoolean()).isTrue();
			assertThat(subscription.path("consecutiveFailures").asInt()).isZero();
		}
	}

	@Test
	void aReceiverThatAnswersGoneHasItsSubscriptionDisabledAtOnce() throws Exception {
		receiver.answer("/gone", 410);
		JsonNode created = subscribe(Map.of("url", receiver.url("/gone"), "deliveryLeads", List.of("Lead gone")));
		driveIntoAlerts("gone-1", "Lead gone");

		await().atMost(WAIT)
			.until(() -> !json.readTree(call("GET", "/api/webhooks/" + id(created), null, "ADMIN").body())
				.path("enabled")
				.asBoolean());
		JsonNode subscription = json.readTree(call("GET", "/api/webhooks/" + id(created), null, "ADMIN").body());
		assertThat(subscription.path("disabledReason").asText()).contains("410");
		// one attempt, not retried; the rest of the engagement's alerts are not sent
		await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> receiver.requests("/gone").size() == 1);
		JsonNode deliveries = json
			.readTree(call("GET", "/api/webhooks/" + id(created) + "/deliveries", null, "ADMIN").body())
			.path("deliveries");
		List<String> states = new ArrayList<>();
		deliveries.forEach((delivery) -> states.add(delivery.path("state").asText()));
		assertThat(states).contains("FAILED").doesNotContain("PENDING", "DELIVERED");

		// enabled by hand, it is sent what comes next
		receiver.answer("/gone", 204);
		assertThat(call("POST", "/api/webhooks/" + id(created) + "/enable", null, "ADMIN").statusCode()).isEqualTo(200);
		driveIntoAlerts("gone-2", "Lead gone");
		Set<String> next = alertIds("gone-2");
		await().atMost(WAIT).until(() -> receivedIds("/gone").containsAll(next));
	}

	@Test
	void aTestSendIsSignedSentOnceAndLogged() throws Exception {
		JsonNode created = subscribe(
				Map.of("url", receiver.url("/test-send"), "deliveryLeads", List.of("nobody"), "format", "slack"));
		HttpResponse<String> answer = call("POST", "/api/webhooks/" + id(created) + "/test", null, "ADMIN");

		assertThat(answer.statusCode()).isEqualTo(200);
		JsonNode test = json.readTree(answer.body());
		assertThat(test.path("delivered").asBoolean()).isTrue();
		assertThat(test.path("attempt").path("status").asInt()).isEqualTo(200);
		List<Receiver.Request> received = receiver.requests("/test-send");
		assertThat(received).hasSize(1);
		assertThat(verify(created.path("secret").asText(), received.get(0))).isTrue();
		JsonNode slack = json.readTree(received.get(0).body());
		assertThat(slack.path("text").asText()).startsWith("Test: Trust alert");
		assertThat(slack.path("blocks").findValuesAsText("type")).contains("header", "section", "actions");
		JsonNode log = json.readTree(call("GET", "/api/webhooks/" + id(created) + "/deliveries", null, "ADMIN").body());
		assertThat(log.path("deliveries").get(0).path("test").asBoolean()).isTrue();
	}

	@Test
	void aRotatedSecretSignsBesideItsSuccessorUntilTheOverlapEnds() throws Exception {
		JsonNode created = subscribe(Map.of("url", receiver.url("/rotated"), "deliveryLeads", List.of("nobody")));
		String first = created.path("secret").asText();
		JsonNode rotated = json
			.readTree(call("POST", "/api/webhooks/" + id(created) + "/secret?overlap=PT1H", null, "ADMIN").body());
		String second = rotated.path("secret").asText();
		assertThat(second).startsWith("whsec_").isNotEqualTo(first);
		assertThat(rotated.path("subscription").path("previousSecretExpiresAt").isTextual()).isTrue();

		call("POST", "/api/webhooks/" + id(created) + "/test", null, "ADMIN");
		Receiver.Request during = receiver.requests("/rotated").get(0);
		assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
		assertThat(verify(first, during)).isTrue();
		assertThat(verify(second, during)).isTrue();

		call("POST", "/api/webhooks/" + id(created) + "/secret?overlap=PT0S", null, "ADMIN");
		JsonNode third = json
			.readTree(call("POST", "/api/webhooks/" + id(created) + "/secret?overlap=PT0S", null, "ADMIN").body());
		call("POST", "/api/webhooks/" + id(created) + "/test", null, "ADMIN");
		Receiver.Request after = receiver.requests("/rotated").get(1);
		assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
		assertThat(verify(third.path("secret").asText(), after)).isTrue();
		assertThat(verify(first, after)).isFalse();
	}

	@Test
	void badSubscriptionsAreRefusedWithTheFieldAtFaultAndNothingIsStored() throws Exception {
		int before = json.readTree(call("GET", "/api/webhooks", null, "ADMIN").body()).path("subscriptions").size();
		Map<String, String> refused = new HashMap<>();
		refused.put("{}", "url");
		refused.put("{\"url\":\"ftp://example.com/x\"}", "url");
		refused.put("{\"url\":\"https://user:pw@example.com/x\"}", "url");
		refused.put("{\"url\":\"not a url\"}", "url");
		refused.put("{\"url\":42}", "url");
		refused.put("{\"url\":\"https://example.com/x\",\"kinds\":[\"NOT_A_KIND\"]}", "kinds");
		refused.put("{\"url\":\"https://example.com/x\",\"kinds\":\"TRUST_DROP\"}", "kinds");
		refused.put("{\"url\":\"https://example.com/x\",\"format\":\"teams\"}", "format");
		refused.put("{\"url\":\"https://example.com/x\",\"deliveryLeads\":[\"\"]}", "deliveryLeads");
		refused.put("{\"url\":\"https://example.com/x\",\"secret\":\"whsec_mine\"}", "secret");
		refused.put("[1,2]", "body");
		refused.put("{\"url\":", "body");
		for (Map.Entry<String, String> entry : refused.entrySet()) {
			HttpResponse<String> answer = call("POST", "/api/webhooks", entry.getKey(), "ADMIN");
			assertThat(answer.statusCode()).as(entry.getKey()).isEqualTo(400);
			assertThat(answer.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			JsonNode problem = json.readTree(answer.body());
			assertThat(problem.path("field").asText()).as(entry.getKey()).isEqualTo(entry.getValue());
			assertThat(problem.path("code").asText()).isNotBlank();
		}
		assertThat(json.readTree(call("GET", "/api/webhooks", null, "ADMIN").body()).path("subscriptions"))
			.hasSize(before);
	}

	@Test
	void adminsSeeEverySubscriptionDeliveryLeadsTheirOwnAndOtherRolesNone() throws Exception {
		JsonNode admins = subscribe(Map.of("url", receiver.url("/admins"), "deliveryLeads", List.of("nobody")));
		HttpResponse<String> byLead = call("POST", "/api/webhooks",
				json.writeValueAsString(Map.of("url", receiver.url("/leads"))), "DELIVERY_LEAD");
		assertThat(byLead.statusCode()).isEqualTo(201);
		String leads = json.readTree(byLead.body()).path("subscription").path("id").asText();

		assertThat(call("GET", "/api/webhooks/" + id(admins), null, "DELIVERY_LEAD").statusCode()).isEqualTo(404);
		assertThat(call("DELETE", "/api/webhooks/" + id(admins), null, "DELIVERY_LEAD").statusCode()).isEqualTo(404);
		assertThat(json.readTree(call("GET", "/api/webhooks", null, "DELIVERY_LEAD").body())
			.path("subscriptions")
			.findValuesAsText("id")).containsExactly(leads);
		assertThat(json.readTree(call("GET", "/api/webhooks", null, "ADMIN").body())
			.path("subscriptions")
			.findValuesAsText("id")).contains(leads, id(admins));
		assertThat(call("GET", "/api/webhooks", null, "ANALYST").statusCode()).isEqualTo(403);
		assertThat(call("POST", "/api/webhooks", "{\"url\":\"https://example.com/x\"}", "ACCOUNT_TEAM").statusCode())
			.isEqualTo(403);
		// no answer after the one that made it shows a secret
		assertThat(call("GET", "/api/webhooks/" + leads, null, "DELIVERY_LEAD").body()).doesNotContain("whsec_");
		assertThat(call("DELETE", "/api/webhooks/" + leads, null, "DELIVERY_LEAD").statusCode()).isEqualTo(204);
		assertThat(call("GET", "/api/webhooks/" + leads, null, "ADMIN").statusCode()).isEqualTo(404);
	}

	/**
	 * The Standard Webhooks check, written from the specification for this test:
	 * HMAC-SHA256 of {@code id.timestamp.body} under the base64-decoded secret, compared
	 * with each {@code v1,} signature of the header.
	 */
	private static boolean verify(String secret, Receiver.Request request) throws Exception {
		String id = request.header("webhook-id");
		String timestamp = request.header("webhook-timestamp");
		String header = request.header("webhook-signature");
		assertThat(id).isNotBlank();
		assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp))).isLessThan(300);
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
		String expected = Base64.getEncoder()
			.encodeToString(
					mac.doFinal((id + "." + timestamp + "." + request.body()).getBytes(StandardCharsets.UTF_8)));
		for (String signature : header.split(" ")) {
			if (signature.equals("v1," + expected)) {
				return true;
			}
		}
		return false;
	}

	/** Opens an engagement and breaks five severe promises on five days: alerts. */
	private static void driveIntoAlerts(String engagementId, String deliveryLead) throws Exception {
		send(engagementId, PublishedEvents.opened(engagementId, deliveryLead, "Team"));
		for (int i = 1; i <= 5; i++) {
			send(engagementId, PublishedEvents.severeBreak(engagementId, i,
					Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofDays(i))));
		}
		await().atMost(WAIT).until(() -> {
			HttpResponse<String> engagement = call("GET", "/api/engagements/" + engagementId, null, "ADMIN");
			return engagement.statusCode() == 200
					&& json.readTree(engagement.body()).path("lastSequence").asLong() == 5;
		});
	}

	private static Set<String> alertIds(String engagementId) throws Exception {
		JsonNode alerts = json.readTree(call("GET", "/api/alerts?engagementId=" + engagementId, null, "ADMIN").body())
			.path("alerts");
		Set<String> ids = new HashSet<>();
		alerts.forEach((alert) -> ids.add(alert.path("alertId").asText()));
		return ids;
	}

	private static List<String> receivedIds(String path) {
		return receiver.requests(path).stream().map((request) -> request.header("webhook-id")).toList();
	}

	private static void send(String key, CloudEvent event) throws Exception {
		producer.send(new ProducerRecord<>(TOPIC, key, event)).get();
	}

	private static JsonNode subscribe(Map<String, Object> settings) throws Exception {
		HttpResponse<String> answer = call("POST", "/api/webhooks", json.writeValueAsString(settings), "ADMIN");
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
		assertThat(answer.headers().firstValue("Location")).isPresent();
		return json.readTree(answer.body());
	}

	private static String id(JsonNode created) {
		return created.path("subscription").path("id").asText();
	}

	private static HttpResponse<String> call(String method, String path, String body, String role) throws Exception {
		String port = service.getEnvironment().getProperty("local.server.port");
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", users.withRole(role).basicAuthorization())
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
