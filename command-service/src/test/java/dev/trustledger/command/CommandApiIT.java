package dev.trustledger.command;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.events.Party;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.infra.DemoUsers;
import dev.trustledger.infra.EmbeddedInfrastructure;
import dev.trustledger.infra.OpenApiLint;
import dev.trustledger.infra.StoredEvents;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The command API over real HTTP, on the real event store (PostgreSQL) and broker: every
 * rejection code, with proof that nothing was stored; idempotency; the bulk import; each
 * role against each endpoint group; concurrent writers.
 */
class CommandApiIT {

	private static final ObjectMapper json = new ObjectMapper();

	@TempDir
	static Path dataDir;

	static EmbeddedInfrastructure infra;

	static ConfigurableApplicationContext service;

	static DemoUsers users;

	static StoredEvents events;

	static final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void start() throws Exception {
		infra = new EmbeddedInfrastructure(EmbeddedInfrastructure.Settings.onFreePorts(dataDir)).start();
		users = DemoUsers.in(dataDir);
		List<String> args = new ArrayList<>(
				List.of("--server.port=0", "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers()));
		args.addAll(infra.eventStoreSpringArgs());
		args.addAll(users.springArgs());
		service = new SpringApplicationBuilder(CommandServiceApplication.class).run(args.toArray(String[]::new));
		events = infra.storedEvents();
		assertThat(open("kestrel-bank", "2026-05-01T09:00:00Z").statusCode()).isEqualTo(201);
	}

	@AfterAll
	static void stop() {
		service.close();
		infra.close();
	}

	@Test
	void theRulesAreMatchedAsPathPatternsWithoutAHandlerLookupBeforeEveryRequest() {
		assertThat(service.getBean("springSecurityFilterChain").getClass().getName())
			.doesNotContain("WebMvcSecurityConfiguration");
		assertThat(service
			.getBeanProvider(
					org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.Builder.class)
			.getIfUnique()).isNotNull();
	}

	@Test
	void theApiDescriptionPassesTheLint() throws Exception {
		HttpResponse<String> description = send(request("/v3/api-docs", "ava").GET());
		assertThat(description.statusCode()).isEqualTo(200);
		// kept for a reader, or a client generator: target/openapi/command-api.json
		java.nio.file.Path kept = java.nio.file.Path.of("target", "openapi", "command-api.json");
		java.nio.file.Files.createDirectories(kept.getParent());
		java.nio.file.Files.writeString(kept, description.body());
		assertThat(OpenApiLint.errors(json.readTree(description.body()))).isEmpty();
	}

	@Test
	void theMetricsCountCommandsByOutcomeAndCodeForAdminsOnly() throws Exception {
		assertThat(send(request("/actuator/prometheus", "ava").GET()).statusCode()).isEqualTo(403);
		assertThat(send(request("/actuator/prometheus", null).GET()).statusCode()).isEqualTo(401);
		double acceptedBefore = metric("trustledger_commands_total", "code=\"none\"", "outcome=\"accepted\"",
				"via=\"http\"");
		double notFoundBefore = metric("trustledger_commands_total", "code=\"engagement-not-found\"",
				"outcome=\"rejected\"");

		assertThat(post("/api/engagements/kestrel-bank/incidents",
				incident(UUID.randomUUID(), "PROMISE_BROKEN", "2026-05-02T09:00:00Z"), "ava")
			.statusCode()).isEqualTo(201);
		assertThat(post("/api/engagements/no-such-engagement/incidents",
				incident(UUID.randomUUID(), "PROMISE_BROKEN", "2026-05-03T09:00:00Z"), "ava")
			.statusCode()).isEqualTo(404);
		assertThat(post("/api/engagements/no-such-engagement/incidents",
				incident(UUID.randomUUID(), "PROMISE_BROKEN", "2026-05-03T09:00:00Z"), "ava")
			.statusCode()).isEqualTo(404);

		assertThat(metric("trustledger_commands_total", "code=\"none\"", "outcome=\"accepted\"", "via=\"http\""))
			.isEqualTo(acceptedBefore + 1);
		assertThat(metric("trustledger_commands_total", "code=\"engagement-not-found\"", "outcome=\"rejected\""))
			.isEqualTo(notFoundBefore + 2);
		// publication is caught up once the event is on Kafka; Axon's own metrics are
		// there
		await().atMost(java.time.Duration.ofSeconds(30)).until(() -> metric("trustledger_publication_lag_events") == 0);
		assertThat(prometheus()).contains("trustledger_publication_lag_seconds", "trustledger_publication_parked",
				"commandBus", "eventStore");
	}

	/** The Prometheus text as an admin reads it. */
	private static String prometheus() throws Exception {
		HttpResponse<String> scraped = send(request("/actuator/prometheus", "root").GET());
		assertThat(scraped.statusCode()).isEqualTo(200);
		return scraped.body();
	}

	/** The sum of a metric's samples whose labels hold every one given; 0 when none. */
	private static double metric(String name, String... labels) throws Exception {
		double sum = 0;
		for (String line : prometheus().lines().toList()) {
			if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
				continue;
			}
			if (java.util.Arrays.stream(labels).allMatch(line::contains)) {
				sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
			}
		}
		return sum;
	}

	@Nested
	class Rejections {

		@Test
		void malformedJsonIs400AndStoresNothing() throws Exception {
			long before = stored("kestrel-bank");
			HttpResponse<String> response = post("/api/engagements/kestrel-bank/incidents", "{\"incidentId\": ", "ava");
			assertProblem(response, 400, "malformed-json", null);
			assertThat(stored("kestrel-bank")).isEqualTo(before);
		}

		@Test
		void everyInvalidFieldIsListedIn400AndNothingIsStored() throws Exception {
			long before = stored("kestrel-bank");
			HttpResponse<String> response = post("/api/engagements/kestrel-bank/incidents", """
					{"incidentId": "not-a-uuid", "type": "PROMISE_MADE", "party": "NEITHER", "severity": 9,
					 "occurredAt": "yesterday", "sponsor": "x", "note": "%s", "occuredAt": "typo"}
					""".formatted("n".repeat(2001)), "ava");
			JsonNode problem = assertProblem(response, 400, "invalid-field", "dueBy");
			List<String> fields = new ArrayList<>();
			problem.path("errors").forEach((error) -> fields.add(error.path("field").asText()));
			assertThat(fields).containsExactlyInAnyOrder("dueBy", "incidentId", "note", "occuredAt", "occurredAt",
					"party", "severity", "sponsor");
			assertThat(stored("kestrel-bank")).isEqualTo(before);
		}

		@Test
		void anOutcomeOutsideItsVocabularyIs400NamingItsFieldAndNothingIsStored() throws Exception {
			long before = stored("kestrel-bank");
			HttpResponse<String> response = post("/api/engagements/kestrel-bank/incidents", """
					{"incidentId": "%s", "type": "RENEWAL_DECIDED", "decision": "MAYBE",
					 "occurredAt": "2026-02-01T00:00:00Z"}
					""".formatted(UUID.randomUUID()), "ava");
			assertProblem(response, 400, "invalid-field", "decision");
			HttpResponse<String> missing = post("/api/engagements/kestrel-bank/incidents", """
					{"incidentId": "%s", "type": "ENGAGEMENT_ENDED", "occurredAt": "2026-02-01T00:00:00Z"}
					""".formatted(UUID.randomUUID()), "ava");
			assertProblem(missing, 400, "invalid-field", "ending");
			assertThat(stored("kestrel-bank")).isEqualTo(before);
		}

		@Test
		void anUnknownEngagementIs404AndNothingIsStoredForIt() throws Exception {
			HttpResponse<String> response = post("/api/engagements/no-such-engagement/incidents",
					incident(UUID.randomUUID(), "PROMISE_BROKEN", "2026-05-03T09:00:00Z"), "ava");
			assertProblem(response, 404, "engagement-not-found", "engagementId");
			assertThat(stored("no-such-engagement")).isZero();
		}

		@Test
		void aReusedIncidentIdIs409AndStoresNothing() throws Exception {
			UUID id = UUID.randomUUID();
			assertThat(post("/api/engagements/kestrel-bank/incidents",
					incident(id, "PROMISE_BROKEN", "2026-05-03T09:00:00Z"), "ava")
				.statusCode()).isEqualTo(201);
			long before = stored("kestrel-bank");
			HttpResponse<String> response = post("/api/engagements/kestrel-bank/incidents",
					incident(id, "PROMISE_BROKEN", "2026-05-04T09:00:00Z"), "ava");
			assertProblem(response, 409, "incident-id-reused", "incidentId");
			assertThat(stored("kestrel-bank")).isEqualTo(before);
		}

		@Test
		void aBrokenRuleIs422AndStoresNothing() throws Exception {
			long before = stored("kestrel-bank");
			HttpResponse<String> response = post("/api/engagements/kestrel-bank/incidents",
					incident(UUID.randomUUID(), "PROMISE_BROKEN", "2026-04-30T09:00:00Z"), "ava");
			assertProblem(response, 422, "occurred-before-opening", "occurredAt");
			assertThat(stored("kestrel-bank")).isEqualTo(before);
		}

		@Test
		void noCredentialsIs401AndStoresNothing() throws Exception {
			long before = stored("kestrel-bank");
			HttpResponse<String> response = post("/api/engagements/kestrel-bank/incidents",
					incident(UUID.randomUUID(), "PROMISE_BROKEN", "2026-05-03T09:00:00Z"), null);
			assertProblem(response, 401, "unauthenticated", null);
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Basic"));
			assertThat(stored("kestrel-bank")).isEqualTo(before);
		}

		/**
		 * Found reading the code: a browser that met the Basic challenge remembered the
		 * password and sent it with later cross-site requests, which this stateless API
		 * accepted.
		 */
		@Test
		void aBrowserIsNeverChallengedForBasicAndItsCrossSiteChangesAreRefused() throws Exception {
			HttpResponse<String> navigated = send(HttpRequest.newBuilder(uri("/api/incident-types"))
				.header("Sec-Fetch-Mode", "navigate")
				.header("Accept", "text/html"));
			assertThat(navigated.statusCode()).isEqualTo(401);
			assertThat(navigated.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((challenge) -> assertThat(challenge).doesNotStartWith("Basic"));
			long before = stored("kestrel-bank");
			for (String[] header : new String[][] { { "Sec-Fetch-Site", "cross-site" },
					{ "Origin", "https://elsewhere.example" } }) {
				HttpResponse<String> crossSite = send(
						request("/api/engagements/kestrel-bank/incidents", "ava").header(header[0], header[1])
							.POST(body(incident(UUID.randomUUID(), "PROMISE_BROKEN", "2026-05-03T09:00:00Z"))));
				assertProblem(crossSite, 403, "cross-site-request", null);
			}
			assertThat(stored("kestrel-bank")).isEqualTo(before);
		}

		/**
		 * The dashboard records with a relay token instead of keeping a password: it
		 * records as its user, for recording only, and a forged one is refused.
		 */
		@Test
		void aRelayTokenRecordsAsItsUserAndDoesNothingElse() throws Exception {
			JsonNode issued = json.readTree(post("/api/relay-tokens", "", "ava").body());
			String relay = "Relay " + issued.path("token").asText();
			assertThat(Instant.parse(issued.path("expiresAt").asText())).isAfter(Instant.now());
			HttpResponse<String> recorded = send(HttpRequest.newBuilder(uri("/api/engagements/kestrel-bank/incidents"))
				.header("Content-Type", "application/json")
				.header("Authorization", relay)
				.POST(body(incident(UUID.randomUUID(), "PROMISE_BROKEN", "2026-05-03T09:00:00Z"))));
			assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
			List<StoredEvents.Row> stored = events.of("kestrel-bank");
			assertThat(stored.get(stored.size() - 1).payload()).contains("\"recordedBy\":\"ava\"");
			HttpResponse<String> opening = send(HttpRequest.newBuilder(uri("/api/engagements"))
				.header("Content-Type", "application/json")
				.header("Authorization", relay)
				.POST(body("{\"clientName\": \"Relayed\", \"accountTeam\": \"T\", \"deliveryLead\": \"L\"}")));
			assertProblem(opening, 403, "forbidden", null);
			HttpResponse<String> forged = send(HttpRequest.newBuilder(uri("/api/engagements/kestrel-bank/incidents"))
				.header("Content-Type", "application/json")
				.header("Authorization", relay.substring(0, relay.length() - 2) + "xx")
				.POST(body(incident(UUID.randomUUID(), "PROMISE_BROKEN", "2026-05-03T09:00:00Z"))));
			assertProblem(forged, 401, "unauthenticated", null);
			HttpResponse<String> fresh = send(HttpRequest.newBuilder(uri("/api/relay-tokens"))
				.header("Authorization", relay)
				.POST(HttpRequest.BodyPublishers.noBody()));
			assertThat(fresh.statusCode()).isEqualTo(200);
			assertThat(post("/api/relay-tokens", "", "dan").statusCode()).as("a role that may not record")
				.isEqualTo(403);
		}

		@Test
		void aWrongPasswordIs401AndIsNotEchoed() throws Exception {
			HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/engagements/kestrel-bank/close"))
				.header("Authorization",
						new DemoUsers.User("ava", "Wr0ng-Secret-123", "ACCOUNT_TEAM").basicAuthorization())
				.POST(HttpRequest.BodyPublishers.noBody()));
			assertProblem(response, 401, "unauthenticated", null);
			assertThat(response.body()).doesNotContain("Wr0ng-Secret-123");
		}

		@Test
		void aRoleThatMayNotWriteIs403AndStoresNothing() throws Exception {
			long before = stored("kestrel-bank");
			HttpResponse<String> response = post("/api/engagements/kestrel-bank/incidents",
					incident(UUID.randomUUID(), "PROMISE_BROKEN", "2026-05-03T09:00:00Z"), "dan");
			assertProblem(response, 403, "forbidden", null);
			assertThat(stored("kestrel-bank")).isEqualTo(before);
		}

		/**
		 * Found trying the product: an opening a billion years before the epoch was
		 * accepted and then stopped publication for every engagement.
		 */
		@Test
		void anInstantOutsideTheBusinessRangeIs400AndStoresNothing() throws Exception {
			HttpResponse<String> opening = post("/api/engagements", """
					{"engagementId": "far-past", "clientName": "Far Past", "accountTeam": "Team",
					 "deliveryLead": "Lead", "openedAt": "-1000000000-01-01T00:00:00Z"}""", "ava");
			assertProblem(opening, 400, "invalid-field", "openedAt");
			assertThat(stored("far-past")).isZero();
			assertProblem(post("/api/engagements", """
					{"engagementId": "far-past", "clientName": "Far Past", "accountTeam": "Team",
					 "deliveryLead": "Lead", "openedAt": "1969-12-31T23:59:59Z"}""", "ava"), 400, "invalid-field",
					"openedAt");
			assertThat(stored("far-past")).isZero();

			long before = stored("kestrel-bank");
			assertProblem(post("/api/engagements/kestrel-bank/incidents", """
					{"incidentId": "%s", "type": "PROMISE_MADE", "party": "VENDOR", "severity": 2,
					 "occurredAt": "2026-05-07T09:00:00Z", "dueBy": "+1000000000-12-31T23:59:59Z"}"""
				.formatted(UUID.randomUUID()), "ava"), 400, "invalid-field", "dueBy");
			assertProblem(post("/api/engagements/kestrel-bank/incidents", """
					{"incidentId": "%s", "type": "PROMISE_MADE", "party": "VENDOR", "severity": 2,
					 "occurredAt": "2026-05-07T09:00:00Z", "dueBy": "2036-05-08T09:00:00Z"}"""
				.formatted(UUID.randomUUID()), "ava"), 422, "due-beyond-horizon", "dueBy");
			assertThat(stored("kestrel-bank")).isEqualTo(before);
		}

		@Test
		void anOffsetIsNormalisedToUtc() throws Exception {
			HttpResponse<String> response = post("/api/engagements/kestrel-bank/incidents", """
					{"incidentId": "%s", "type": "STOOD_BY_PARTNER", "party": "CLIENT", "severity": 2,
					 "occurredAt": "2026-05-07T11:30:00+02:00"}""".formatted(UUID.randomUUID()), "ava");
			assertThat(response.statusCode()).isEqualTo(201);
			List<StoredEvents.Row> stored = events.of("kestrel-bank");
			assertThat(stored.get(stored.size() - 1).payload()).contains("2026-05-07T09:30:00Z")
				.doesNotContain("+02:00");
		}

		@ParameterizedTest(name = "{0}")
		@CsvSource(delimiter = '|', textBlock = """
				a bell in a note            | note       | {"note": "ring \\u0007 ring"}
				an unpaired surrogate       | note       | {"note": "half \\ud800 a pair"}
				a non-character             | note       | {"note": "\\uffff"}
				a line feed in a name       | sponsor    | {"sponsor": "Ruth\\nBrandt"}
				an escape sequence in a name| sponsor    | {"sponsor": "\\u001b[31mRuth"}
				""")
		void textWithControlCharactersIs400AndStoresNothing(String what, String field, String fields) throws Exception {
			long before = stored("kestrel-bank");
			// the escapes travel as they are: a lone surrogate cannot be sent as UTF-8
			String body = "{\"incidentId\": \"%s\", \"type\": \"SPONSOR_GAINED\", \"occurredAt\": \"2026-05-07T09:00:00Z\", %s%s}"
				.formatted(UUID.randomUUID(), fields.contains("sponsor") ? "" : "\"sponsor\": \"Ruth Brandt\", ",
						fields.substring(1, fields.length() - 1));
			HttpResponse<String> response = post("/api/engagements/kestrel-bank/incidents", body, "ava");
			assertProblem(response, 400, "invalid-field", field);
			assertThat(stored("kestrel-bank")).isEqualTo(before);
		}

		@Test
		void aNoteMayRunOverLinesAndHoldTabsAndEmoji() throws Exception {
			HttpResponse<String> response = post("/api/engagements/kestrel-bank/incidents", """
					{"incidentId": "%s", "type": "STOOD_BY_PARTNER", "party": "CLIENT", "severity": 2,
					 "occurredAt": "2026-05-07T09:00:00Z", "note": "first line\\n\\tsecond \\ud83d\\ude00"}"""
				.formatted(UUID.randomUUID()), "ava");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		}

		@Test
		void aBodyOverOneMebibyteIs413AndStoresNothing() throws Exception {
			long before = stored("kestrel-bank");
			String huge = "{\"clientName\": \"" + "a".repeat(1_100_000) + "\"}";
			HttpResponse<String> declared = post("/api/engagements", huge, "ava");
			assertProblem(declared, 413, "payload-too-large", null);
			// chunked: no declared length, counted while it is read
			HttpResponse<String> chunked = send(request("/api/engagements", "ava").POST(HttpRequest.BodyPublishers
				.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8)))));
			assertProblem(chunked, 413, "payload-too-large", null);
			assertThat(stored("kestrel-bank")).isEqualTo(before);
		}

	}

	@Nested
	class Idempotency {

		@Test
		void theSameIncidentSentTwiceAnswersTheSameAndIsStoredOnce() throws Exception {
			String body = incident(UUID.randomUUID(), "PROMISE_BROKEN", "2026-05-05T09:00:00Z");
			HttpResponse<String> first = post("/api/engagements/kestrel-bank/incidents", body, "ava");
			long after = stored("kestrel-bank");
			HttpResponse<String> again = post("/api/engagements/kestrel-bank/incidents", body, "root");

			assertThat(first.statusCode()).isEqualTo(201);
			assertThat(again.statusCode()).isEqualTo(201);
			assertThat(json.readTree(again.body())).isEqualTo(json.readTree(first.body()));
			assertThat(stored("kestrel-bank")).isEqualTo(after);
		}

		@Test
		void theRecorderIsTheAuthenticatedPrincipalNotTheBody() throws Exception {
			UUID id = UUID.randomUUID();
			HttpResponse<String> response = post("/api/engagements/kestrel-bank/incidents", """
					{"incidentId": "%s", "type": "STOOD_BY_PARTNER", "party": "VENDOR", "severity": 3,
					 "occurredAt": "2026-05-06T09:00:00Z"}""".formatted(id), "root");
			assertThat(response.statusCode()).isEqualTo(201);
			List<StoredEvents.Row> stored = events.of("kestrel-bank");
			assertThat(stored.get(stored.size() - 1).payload()).contains("\"recordedBy\":\"root\"");
			HttpResponse<String> spoofed = post("/api/engagements/kestrel-bank/incidents", """
					{"incidentId": "%s", "type": "STOOD_BY_PARTNER", "party": "VENDOR", "severity": 3,
					 "occurredAt": "2026-05-06T09:00:00Z", "recordedBy": "mallory"}""".formatted(UUID.randomUUID()),
					"root");
			assertProblem(spoofed, 400, "invalid-field", "recordedBy");
		}

		@Test
		void importingTheSameFileTwiceStoresNothingNew() throws Exception {
			String file = String.join("\n",
					"{\"engagementId\": \"imported-1\", \"clientName\": \"Imported Ltd\", \"accountTeam\": \"Team\", \"deliveryLead\": \"Lead\", \"openedAt\": \"2026-01-01T00:00:00Z\"}",
					"{\"engagementId\": \"imported-1\", \"type\": \"PROMISE_BROKEN\", \"incidentId\": \"22222222-0000-4000-8000-000000000001\", \"party\": \"CLIENT\", \"severity\": 2, \"occurredAt\": \"2026-02-01T00:00:00Z\"}",
					"this line is not JSON", "",
					"{\"engagementId\": \"imported-1\", \"type\": \"PROMISE_BROKEN\", \"incidentId\": \"bad\", \"severity\": 9, \"occurredAt\": \"2026-02-01T00:00:00Z\"}",
					"{\"engagementId\": \"imported-1\", \"type\": \"SPONSOR_GAINED\", \"incidentId\": \"22222222-0000-4000-8000-000000000002\", \"sponsor\": \"CFO Ines Roth\", \"occurredAt\": \"2026-03-01T00:00:00Z\"}");

			List<JsonNode> first = importLines(file);
			long stored = stored("imported-1");
			List<JsonNode> second = importLines(file);

			assertThat(stored).isEqualTo(3);
			assertThat(stored("imported-1")).isEqualTo(stored);
			assertThat(first).hasSize(6);
			assertThat(first).extracting((line) -> line.path("status").asInt())
				.containsExactly(201, 201, 400, 400, 201, 0);
			assertThat(first.get(2).path("problem").path("code").asText()).isEqualTo("malformed-json");
			assertThat(first.get(3).path("problem").path("errors")).hasSize(2);
			assertThat(first.get(5).path("summary").path("accepted").asInt()).isEqualTo(3);
			assertThat(first.get(5).path("summary").path("rejected").asInt()).isEqualTo(2);
			assertThat(second).isEqualTo(first);
		}

	}

	@Nested
	class ImportIdempotency {

		/**
		 * Found reading the code: the second import of this history reopened and closed
		 * the engagement again.
		 */
		@Test
		void aHistoryThatClosesReopensAndClosesImportsOnce() throws Exception {
			String file = String.join("\n", envelope("EngagementOpened",
					"\"engagementId\": \"phases\", \"clientName\": \"Phases\", \"accountTeam\": \"Team\", \"deliveryLead\": \"Lead\", \"openedAt\": \"2026-01-01T00:00:00Z\""),
					envelope("EngagementClosed",
							"\"engagementId\": \"phases\", \"occurredAt\": \"2026-02-01T00:00:00Z\", \"note\": \"phase one\""),
					envelope("EngagementReopened",
							"\"engagementId\": \"phases\", \"occurredAt\": \"2026-03-01T00:00:00Z\", \"note\": null"),
					envelope("EngagementClosed",
							"\"engagementId\": \"phases\", \"occurredAt\": \"2026-04-01T00:00:00Z\""));

			List<JsonNode> first = importLines(file);
			List<JsonNode> second = importLines(file);

			assertThat(first).extracting((line) -> line.path("status").asInt()).containsExactly(201, 201, 201, 201, 0);
			assertThat(stored("phases")).isEqualTo(4);
			assertThat(second).isEqualTo(first);
		}

		/**
		 * Found reading the code: an opening line without an id opened a new engagement
		 * on every import, and one without an opening time answered 409 on the second.
		 */
		@Test
		void anOpeningWithoutIdOrTimeImportsOnce() throws Exception {
			String file = String.join("\n",
					"{\"clientName\": \"Nameless Ltd\", \"accountTeam\": \"Team\", \"deliveryLead\": \"Lead\"}",
					"{\"engagementId\": \"timeless\", \"clientName\": \"Timeless Ltd\", \"accountTeam\": \"Team\", \"deliveryLead\": \"Lead\"}");

			List<JsonNode> first = importLines(file);
			List<JsonNode> second = importLines(file);

			assertThat(first).extracting((line) -> line.path("status").asInt()).containsExactly(201, 201, 0);
			assertThat(second).isEqualTo(first);
			String nameless = first.get(0).path("result").path("engagementId").asText();
			assertThat(stored(nameless)).isEqualTo(1);
			assertThat(stored("timeless")).isEqualTo(1);
			// and over the single endpoint, the same opening sent again without its time
			HttpResponse<String> again = post("/api/engagements", """
					{"engagementId": "timeless", "clientName": "Timeless Ltd", "accountTeam": "Team",
					 "deliveryLead": "Lead"}""", "root");
			assertThat(again.statusCode()).isEqualTo(201);
			assertThat(stored("timeless")).isEqualTo(1);
		}

		/**
		 * Found reading the code: a body without a line feed was held whole before the
		 * line limit applied. A line over the limit is now refused while it is read, and
		 * the lines after it are imported.
		 */
		@Test
		void aLineOverTheLimitIsRefusedAndTheNextOneImported() throws Exception {
			String longLine = "{\"clientName\": \"" + "x".repeat(1024 * 1024) + "\"}";
			String file = longLine + "\r\n"
					+ "{\"engagementId\": \"after-long\", \"clientName\": \"After\", \"accountTeam\": \"Team\", \"deliveryLead\": \"Lead\", \"openedAt\": \"2026-01-01T00:00:00Z\"}\r\n";
			HttpResponse<String> response = send(
					request("/api/imports", "ava").setHeader("Content-Type", "application/x-ndjson")
						.POST(HttpRequest.BodyPublishers
							.ofInputStream(() -> new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)))));
			List<JsonNode> answers = new ArrayList<>();
			for (String line : response.body().split("\n")) {
				answers.add(json.readTree(line));
			}
			assertThat(answers).extracting((line) -> line.path("status").asInt()).containsExactly(400, 201, 0);
			assertThat(answers.get(0).path("problem").path("errors").get(0).path("message").asText())
				.contains("at most");
			assertThat(stored("after-long")).isEqualTo(1);
		}

		private static String envelope(String eventClass, String data) {
			return "{\"specversion\": \"1.0\", \"id\": \"%s\", \"source\": \"test\", \"type\": \"trustledger.engagement.%s.v1\", \"data\": {%s}}"
				.formatted(UUID.randomUUID(), eventClass, data);
		}

	}

	@Nested
	class BulkImport {

		/**
		 * Two engagements interleaved over more lines than one run of the import holds,
		 * with an incident id reused with other content in the middle (its own command is
		 * rejected, its group's others are stored) and an engagement that does not exist.
		 */
		@Test
		void everyLineIsAnsweredInOrderAndEachEngagementIsStoredGapFree() throws Exception {
			List<String> lines = new ArrayList<>();
			lines.add(
					"{\"engagementId\": \"bulk-a\", \"clientName\": \"Bulk A\", \"accountTeam\": \"Team\", \"deliveryLead\": \"Lead\", \"openedAt\": \"2026-01-01T00:00:00Z\"}");
			lines.add(
					"{\"engagementId\": \"bulk-b\", \"clientName\": \"Bulk B\", \"accountTeam\": \"Team\", \"deliveryLead\": \"Lead\", \"openedAt\": \"2026-01-01T00:00:00Z\"}");
			int incidents = 2400;
			for (int i = 0; i < incidents; i++) {
				String engagement = (i % 2 == 0) ? "bulk-a" : "bulk-b";
				UUID id = UUID.nameUUIDFromBytes(("bulk-" + i).getBytes(StandardCharsets.UTF_8));
				int severity = 1 + i % 5;
				if (i == 1500) {
					// the incident of line 0 again, with another severity: a conflict
					id = UUID.nameUUIDFromBytes("bulk-0".getBytes(StandardCharsets.UTF_8));
					severity = 5;
				}
				lines.add(
						"{\"engagementId\": \"%s\", \"type\": \"PROMISE_BROKEN\", \"incidentId\": \"%s\", \"party\": \"VENDOR\", \"severity\": %d, \"occurredAt\": \"2026-02-01T00:00:00Z\"}"
							.formatted(engagement, id, severity));
			}
			lines.add(1200,
					"{\"engagementId\": \"bulk-unknown\", \"type\": \"PROMISE_BROKEN\", \"incidentId\": \"%s\", \"party\": \"VENDOR\", \"severity\": 2, \"occurredAt\": \"2026-02-01T00:00:00Z\"}"
						.formatted(UUID.randomUUID()));

			List<JsonNode> answers = importLines(String.join("\n", lines));

			assertThat(answers).hasSize(lines.size() + 1);
			Map<String, Long> expectedSequence = new java.util.HashMap<>(Map.of("bulk-a", 1L, "bulk-b", 1L));
			for (int n = 0; n < lines.size(); n++) {
				JsonNode answer = answers.get(n);
				JsonNode line = json.readTree(lines.get(n));
				assertThat(answer.path("line").asInt()).isEqualTo(n + 1);
				String engagement = line.path("engagementId").asText();
				if (!line.has("type")) {
					assertThat(answer.path("status").asInt()).isEqualTo(201);
				}
				else if (engagement.equals("bulk-unknown")) {
					assertThat(answer.path("status").asInt()).isEqualTo(404);
					assertThat(answer.path("problem").path("code").asText()).isEqualTo("engagement-not-found");
				}
				else if (line.path("severity").asInt() == 5 && n == 1503) {
					assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(409);
				}
				else {
					assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(201);
					long sequence = expectedSequence.merge(engagement, 1L, Long::sum) - 1;
					assertThat(answer.path("result").path("sequence").asLong()).isEqualTo(sequence);
				}
			}
			JsonNode summary = answers.get(answers.size() - 1).path("summary");
			assertThat(summary.path("accepted").asInt()).isEqualTo(lines.size() - 2);
			assertThat(summary.path("rejected").asInt()).isEqualTo(2);
			for (String engagement : List.of("bulk-a", "bulk-b")) {
				List<StoredEvents.Row> stored = events.of(engagement);
				assertThat(stored).hasSize(expectedSequence.get(engagement).intValue());
				for (int i = 0; i < stored.size(); i++) {
					assertThat(stored.get(i).sequence()).isEqualTo(i);
				}
			}

			List<JsonNode> again = importLines(String.join("\n", lines));
			assertThat(again).isEqualTo(answers);
			assertThat(events.count("bulk-a")).isEqualTo(expectedSequence.get("bulk-a"));
			assertThat(events.count("bulk-b")).isEqualTo(expectedSequence.get("bulk-b"));
		}

	}

	/**
	 * History brought from elsewhere may say when it was first recorded, if an admin
	 * imports it; anyone else is refused, and a recording time that cannot be true is
	 * refused; nothing of a refused line is stored.
	 */
	@Nested
	class RecordingTimes {

		private static final String OPENING = "{\"engagementId\": \"%s\", \"clientName\": \"Wren Mills\", \"accountTeam\": \"Team\", \"deliveryLead\": \"Lead\", \"openedAt\": \"2024-01-01T00:00:00Z\", \"recordedAt\": %s}";

		private static final String INCIDENT = "{\"engagementId\": \"%s\", \"type\": \"PROMISE_BROKEN\", \"incidentId\": \"%s\", \"party\": \"VENDOR\", \"severity\": 2%s, \"recordedAt\": %s}";

		@Test
		void anAdminsImportKeepsThemAndAnEnvelopesTimeToo() throws Exception {
			List<JsonNode> answers = importLines(
					String.join("\n", OPENING.formatted("wren-mills", "\"2024-01-03T08:00:00Z\""),
							INCIDENT.formatted("wren-mills", UUID.randomUUID(),
									", \"occurredAt\": \"2024-02-01T00:00:00Z\"", "\"2024-02-01T02:00:00+01:00\""),
							envelope("wren-mills", UUID.randomUUID(), "2024-03-01T00:00:00Z", "2024-03-20T00:00:00Z")),
					"root");
			assertThat(answers).extracting((answer) -> answer.path("status").asInt()).containsExactly(201, 201, 201, 0);
			assertThat(answers.get(3).path("summary").path("accepted").asInt()).isEqualTo(3);
			assertThat(stored("wren-mills")).isEqualTo(3);
		}

		@Test
		void anAccountTeamMayNotSayWhenSomethingWasRecordedAndAnEnvelopesTimeIsNotTheirs() throws Exception {
			List<JsonNode> answers = importLines(
					String.join("\n", OPENING.formatted("wren-forge", "\"2024-01-03T08:00:00Z\""),
							OPENING.formatted("wren-forge", "null")),
					"ava");
			assertThat(answers.get(0).path("status").asInt()).isEqualTo(403);
			assertThat(answers.get(0).path("problem").path("code").asText()).isEqualTo("forbidden");
			assertThat(answers.get(0).path("problem").path("field").asText()).isEqualTo("recordedAt");
			// a recording time of null says none: recorded now, by anyone
			assertThat(answers.get(1).path("status").asInt()).isEqualTo(201);
			assertThat(stored("wren-forge")).isEqualTo(1);
			// an exported event imported by an account team is recorded now: its time is
			// not used, and so not checked
			List<JsonNode> envelope = importLines(
					envelope("wren-forge", UUID.randomUUID(), "2024-03-01T00:00:00Z", "not a time"), "ava");
			assertThat(envelope.get(0).path("status").asInt()).isEqualTo(201);
		}

		@ParameterizedTest(name = "{0}")
		@CsvSource(delimiter = '|', value = {
				"before the fact, beyond the clocks' tolerance | , \"occurredAt\": \"2024-02-01T00:00:00Z\" | \"2024-01-31T23:54:59Z\" | recordedAt",
				"in the future | , \"occurredAt\": \"2024-02-01T00:00:00Z\" | \"2999-01-01T00:00:00Z\" | recordedAt",
				"without an occurred-at | | \"2024-02-01T00:00:00Z\" | occurredAt",
				"not a date-time | , \"occurredAt\": \"2024-02-01T00:00:00Z\" | \"yesterday\" | recordedAt",
				"without an offset | , \"occurredAt\": \"2024-02-01T00:00:00Z\" | \"2024-02-02T00:00:00\" | recordedAt",
				"a number | , \"occurredAt\": \"2024-02-01T00:00:00Z\" | 1706745600 | recordedAt",
				"before 1970 | , \"occurredAt\": \"2024-02-01T00:00:00Z\" | \"1969-12-31T00:00:00Z\" | recordedAt" })
		void oneThatCannotBeTrueIsAnInvalidFieldAndNothingIsStored(String name, String occurredAt, String recordedAt,
				String field) throws Exception {
			importLines(OPENING.formatted("wren-yards", "\"2024-01-01T00:00:00Z\""), "root");
			long before = stored("wren-yards");
			List<JsonNode> answers = importLines(INCIDENT.formatted("wren-yards", UUID.randomUUID(),
					(occurredAt != null) ? occurredAt : "", recordedAt), "root");
			assertThat(answers.get(0).path("status").asInt()).as(answers.get(0).toString()).isEqualTo(400);
			assertThat(answers.get(0).path("problem").path("code").asText()).isEqualTo("invalid-field");
			assertThat(answers.get(0).path("problem").path("field").asText()).isEqualTo(field);
			assertThat(stored("wren-yards")).isEqualTo(before);
		}

		/**
		 * An event recorded live without an occurred-at takes the engagement's clock, to
		 * the microsecond, while the store keeps its own time to the millisecond: its
		 * export can say it was recorded a moment before it occurred, and must import.
		 */
		@Test
		void aRecordingTimeAMomentBeforeTheFactIsWithinTheClocksTolerance() throws Exception {
			List<JsonNode> answers = importLines(
					String
						.join("\n", OPENING.formatted("wren-docks", "\"2023-12-31T23:59:59.999Z\""),
								INCIDENT.formatted("wren-docks", UUID.randomUUID(),
										", \"occurredAt\": \"2024-02-01T00:04:00Z\"", "\"2024-02-01T00:00:00Z\"")),
					"root");
			assertThat(answers).extracting((answer) -> answer.path("status").asInt()).containsExactly(201, 201, 0);
		}

		/**
		 * History is recorded in order: a line may not say it was recorded before what
		 * the engagement already holds (a promise kept before it was made would then be
		 * what was known); a repeat answers as before.
		 */
		@Test
		void nothingMaySayItWasRecordedBeforeWhatTheEngagementHolds() throws Exception {
			UUID first = UUID.randomUUID();
			String firstLine = INCIDENT.formatted("wren-quay", first, ", \"occurredAt\": \"2024-02-01T00:00:00Z\"",
					"\"2024-03-01T00:00:00Z\"");
			List<JsonNode> answers = importLines(
					String.join("\n", OPENING.formatted("wren-quay", "\"2024-01-02T00:00:00Z\""), firstLine,
							INCIDENT.formatted("wren-quay", UUID.randomUUID(),
									", \"occurredAt\": \"2024-02-02T00:00:00Z\"", "\"2024-02-20T00:00:00Z\""),
							firstLine),
					"root");
			assertThat(answers).extracting((answer) -> answer.path("status").asInt())
				.containsExactly(201, 201, 409, 201, 0);
			assertThat(answers.get(2).path("problem").path("code").asText()).isEqualTo("recorded-out-of-order");
			assertThat(answers.get(2).path("problem").path("field").asText()).isEqualTo("recordedAt");
			assertThat(stored("wren-quay")).isEqualTo(2);
		}

		private static String envelope(String engagementId, UUID incidentId, String occurredAt, String time) {
			return ("{\"specversion\": \"1.0\", \"id\": \"%s\", \"type\": \"trustledger.engagement.StoodByPartner.v1\", "
					+ "\"source\": \"/trustledger/engagements/%s\", \"time\": \"%s\", \"data\": {\"engagementId\": \"%s\", "
					+ "\"incidentId\": \"%s\", \"party\": \"VENDOR\", \"severity\": 3, \"occurredAt\": \"%s\", \"recordedBy\": \"someone\"}}")
				.formatted(UUID.randomUUID(), engagementId, time, engagementId, incidentId, occurredAt);
		}

	}

	@Nested
	class Roles {

		@ParameterizedTest(name = "{0} on {1} {2}")
		@CsvSource({ "ava, POST, /api/engagements, 201", "root, POST, /api/engagements, 201",
				"dan, POST, /api/engagements, 403", "ana, POST, /api/engagements, 403", ", POST, /api/engagements, 401",
				"ava, POST, /api/imports, 200", "root, POST, /api/imports, 200", "dan, POST, /api/imports, 403",
				"ana, POST, /api/imports, 403", ", POST, /api/imports, 401", "ava, GET, /v3/api-docs, 200",
				"dan, GET, /v3/api-docs, 200", "ana, GET, /v3/api-docs, 200", "root, GET, /v3/api-docs, 200",
				", GET, /v3/api-docs, 401", ", GET, /actuator/health, 200" })
		void eachRoleAgainstEachEndpointGroup(String user, String method, String path, int expected) throws Exception {
			HttpRequest.Builder request = request(path, user);
			if (method.equals("GET")) {
				request.GET();
			}
			else if (path.equals("/api/imports")) {
				request.setHeader("Content-Type", "application/x-ndjson").POST(body("\n"));
			}
			else {
				request.POST(body("""
						{"clientName": "Role Check", "accountTeam": "Team", "deliveryLead": "Lead"}"""));
			}
			assertThat(send(request).statusCode()).isEqualTo(expected);
		}

		@org.junit.jupiter.api.Test
		void theOpenApiDescriptionNamesTheApiAndItsSecurity() throws Exception {
			JsonNode docs = json.readTree(send(request("/v3/api-docs", "dan").GET()).body());
			assertThat(docs.path("info").path("title").asText()).isEqualTo("Trust Ledger command API");
			assertThat(docs.path("components").path("securitySchemes").path("basic").path("scheme").asText())
				.isEqualTo("basic");
			assertThat(docs.path("paths").has("/api/engagements/{engagementId}/incidents")).isTrue();
		}

		@org.junit.jupiter.api.Test
		void everyRoleReadsTheIncidentTypesWithTheFieldsEachNeeds() throws Exception {
			JsonNode answer = json.readTree(send(request("/api/incident-types", "dan").GET()).body());
			Map<String, JsonNode> types = new java.util.HashMap<>();
			answer.path("types").forEach((type) -> types.put(type.path("type").asText(), type));
			assertThat(types).hasSize(20);
			assertThat(types.get("RENEWAL_DECIDED").path("required")).extracting(JsonNode::asText)
				.containsExactly("decision");
			assertThat(types.get("ENGAGEMENT_ENDED").path("required")).extracting(JsonNode::asText)
				.containsExactly("ending");
			// what a form needs to ask for each field
			JsonNode decision = answer.path("fields").path("decision");
			assertThat(decision.path("input").asText()).isEqualTo("choice");
			assertThat(decision.path("options").findValuesAsText("value")).containsExactly("RENEWED", "EXPANDED",
					"CONTRACTED", "NOT_RENEWED");
			assertThat(answer.path("fields").path("severity").path("min").asInt()).isEqualTo(1);
			assertThat(answer.path("fields").path("severity").path("max").asInt()).isEqualTo(5);
			assertThat(answer.path("fields").path("dueBy").path("input").asText()).isEqualTo("instant");
			java.util.Set<String> described = new java.util.HashSet<>();
			answer.path("fields").fieldNames().forEachRemaining(described::add);
			types.values()
				.forEach((type) -> type.path("required")
					.forEach((field) -> assertThat(described).as("every field a type needs is described")
						.contains(field.asText())));
			assertThat(types.get("PROMISE_MADE").path("required")).extracting(JsonNode::asText)
				.containsExactlyInAnyOrder("party", "severity", "dueBy");
			assertThat(types.get("PROMISE_MADE").path("optional")).extracting(JsonNode::asText)
				.containsExactly("promiseId");
			assertThat(types.get("CLIENT_SHARED_BLAME").path("impliedParty").asText()).isEqualTo("CLIENT");
			assertThat(types.get("SPONSOR_GAINED").path("required")).extracting(JsonNode::asText)
				.containsExactly("sponsor");
		}

		@ParameterizedTest(name = "{0} closes and reopens")
		@CsvSource({ "ava, 200", "root, 200", "dan, 403", "ana, 403" })
		void onlyAccountTeamsAndAdminsCloseAndReopen(String user, int expected) throws Exception {
			String id = "lifecycle-" + user;
			open(id, "2026-01-01T00:00:00Z");
			assertThat(post("/api/engagements/" + id + "/close", "{\"occurredAt\": \"2026-02-01T00:00:00Z\"}", user)
				.statusCode()).isEqualTo(expected);
			if (expected == 200) {
				assertThat(post("/api/engagements/" + id + "/incidents",
						incident(UUID.randomUUID(), "PROMISE_BROKEN", "2026-02-02T00:00:00Z"), user)
					.statusCode()).isEqualTo(409);
				assertThat(
						post("/api/engagements/" + id + "/reopen", "{\"occurredAt\": \"2026-03-01T00:00:00Z\"}", user)
							.statusCode())
					.isEqualTo(200);
			}
		}

	}

	@Nested
	class Concurrency {

		/**
		 * What another instance's append of the same sequence looks like: PostgreSQL's
		 * unique violation must surface as Axon's concurrency conflict (which the gateway
		 * retries), not as a storage failure (a 500).
		 */
		@Test
		void anAppendOfATakenSequenceIsAConcurrencyConflict() throws Exception {
			open("raced-engagement", "2026-01-01T00:00:00Z");
			EventStore store = service.getBean(EventStore.class);
			store.publish(brokenPromise(1));

			assertThatThrownBy(() -> store.publish(brokenPromise(1))).isInstanceOf(ConcurrencyException.class);
			assertThat(stored("raced-engagement")).isEqualTo(2);
		}

		private static GenericDomainEventMessage<PromiseBroken> brokenPromise(long sequence) {
			return new GenericDomainEventMessage<>("Engagement", "raced-engagement", sequence,
					new PromiseBroken("raced-engagement", UUID.randomUUID().toString(), null, Party.CLIENT, 2, null,
							Instant.parse("2026-02-01T00:00:00Z"), "ava"));
		}

		@Test
		void twentyFourConcurrentWritersLoseNothingAndLeaveNoGap() throws Exception {
			open("busy-engagement", "2026-01-01T00:00:00Z");
			int writers = 24;
			ExecutorService pool = Executors.newFixedThreadPool(writers);
			List<Callable<HttpResponse<String>>> tasks = new ArrayList<>();
			for (int i = 0; i < writers; i++) {
				UUID id = UUID.nameUUIDFromBytes(("busy-" + i).getBytes(StandardCharsets.UTF_8));
				tasks.add(() -> post("/api/engagements/busy-engagement/incidents",
						incident(id, "PROMISE_BROKEN", "2026-02-01T00:00:00Z"), "ava"));
			}
			Set<Long> sequences = new HashSet<>();
			for (Future<HttpResponse<String>> result : pool.invokeAll(tasks)) {
				HttpResponse<String> response = result.get();
				assertThat(response.statusCode()).isEqualTo(201);
				sequences.add(json.readTree(response.body()).path("sequence").asLong());
			}
			pool.shutdown();

			assertThat(sequences).hasSize(writers).allMatch((sequence) -> sequence >= 1 && sequence <= writers);
			List<Long> storedSequences = new ArrayList<>();
			events.of("busy-engagement").forEach((event) -> storedSequences.add(event.sequence()));
			assertThat(storedSequences).hasSize(writers + 1);
			for (int i = 0; i < storedSequences.size(); i++) {
				assertThat(storedSequences.get(i)).isEqualTo(i);
			}
		}

	}

	private static HttpResponse<String> open(String id, String openedAt) throws Exception {
		return post("/api/engagements", """
				{"engagementId": "%s", "clientName": "Kestrel Bank", "accountTeam": "Team Solent",
				 "deliveryLead": "Ivo Marsh", "openedAt": "%s"}""".formatted(id, openedAt), "ava");
	}

	private static String incident(UUID id, String type, String occurredAt) {
		return """
				{"incidentId": "%s", "type": "%s", "party": "CLIENT", "severity": 2, "occurredAt": "%s"}"""
			.formatted(id, type, occurredAt);
	}

	private static long stored(String engagementId) {
		return events.count(engagementId);
	}

	private static List<JsonNode> importLines(String file) throws Exception {
		return importLines(file, "ava");
	}

	private static List<JsonNode> importLines(String file, String user) throws Exception {
		HttpResponse<String> response = send(
				request("/api/imports", user).setHeader("Content-Type", "application/x-ndjson").POST(body(file)));
		assertThat(response.statusCode()).isEqualTo(200);
		List<JsonNode> lines = new ArrayList<>();
		for (String line : response.body().split("\n")) {
			lines.add(json.readTree(line));
		}
		return lines;
	}

	private static JsonNode assertProblem(HttpResponse<String> response, int status, String code, String field)
			throws Exception {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.path("status").asInt()).isEqualTo(status);
		assertThat(problem.path("code").asText()).isEqualTo(code);
		if (field != null) {
			assertThat(problem.path("field").asText()).isEqualTo(field);
		}
		return problem;
	}

	private static HttpResponse<String> post(String path, String body, String user) throws Exception {
		return send(request(path, user).POST(body(body)));
	}

	private static HttpRequest.Builder request(String path, String user) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json");
		if (user != null && !user.isBlank()) {
			DemoUsers.User demo = users.users()
				.stream()
				.filter((candidate) -> candidate.name().equals(user))
				.findFirst()
				.orElseThrow();
			request.header("Authorization", demo.basicAuthorization());
		}
		return request;
	}

	private static BodyPublisher body(String body) {
		return HttpRequest.BodyPublishers.ofString(body);
	}

	private static URI uri(String path) {
		return URI.create("http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port") + path);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
