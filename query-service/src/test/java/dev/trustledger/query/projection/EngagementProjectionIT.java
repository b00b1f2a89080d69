package dev.trustledger.query.projection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.trustledger.infra.DemoUsers;
import dev.trustledger.infra.EmbeddedInfrastructure;
import dev.trustledger.infra.OpenApiLint;
import dev.trustledger.query.QueryServiceApplication;
import dev.trustledger.query.alert.TimeAlerts;
import dev.trustledger.query.fixtures.PublishedEvents;
import dev.trustledger.query.fixtures.RandomHistory;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.support.security.SecurityProperties;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.userdetails.UserDetailsService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The query service against a real broker and the MongoDB-wire server, fed records
 * written the way docs/events.md says: redelivered, out of sequence, unknown or
 * unreadable ones included.
 */
class EngagementProjectionIT {

	private static final String TOPIC = "trustledger.engagement-events";

	private static final ObjectMapper json = new ObjectMapper();

	@TempDir
	static Path dataDir;

	static EmbeddedInfrastructure infra;

	static ConfigurableApplicationContext service;

	static KafkaProducer<String, CloudEvent> producer;

	static DemoUsers users;

	static final HttpClient http = HttpClient.newHttpClient();

	/**
	 * The service's clock: the wall clock unless a test sets an instant, which it sets
	 * back to none when it ends.
	 */
	static final SettableClock clock = new SettableClock();

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
				// while the store is away (the lag test stops it), an operation gives up
				// after 2 s
				// rather than 30, so that the sampled gauges keep being measured
				"--spring.data.mongodb.uri=" + infra.mongoConnectionString()
						+ "/trustledger-query?serverSelectionTimeoutMS=2000",
				// parked after two quick retries rather than about 25 s of back-off
				"--trustledger.projection.retry.attempts=2", "--trustledger.projection.retry.initial-interval=100ms",
				// the metrics test reads the lag while a burst lasts a few seconds
				"--trustledger.metrics.sample-interval=200ms",
				// answers kept are given without the store as soon as the live feed
				// watches
				"--trustledger.query.latest-sequences.settle=0s"));
		args.addAll(users.springArgs());
		service = new SpringApplicationBuilder(QueryServiceApplication.class)
			.initializers((context) -> ((org.springframework.context.support.GenericApplicationContext) context)
				.registerBean("settableClock", java.time.Clock.class, () -> clock,
						(definition) -> definition.setPrimary(true)))
			.run(args.toArray(String[]::new));
		Properties props = RandomHistory.producerProperties(infra.kafkaBootstrapServers());
		producer = new KafkaProducer<>(props);
	}

	@AfterAll
	static void stop() {
		producer.close();
		service.close();
		infra.close();
	}

	@Test
	void aRedeliveredEventChangesNothing() throws Exception {
		CloudEvent opened = opened("redelivered", "e1");
		CloudEvent broken = broken("redelivered", "e2", 1, "CLIENT");
		send("redelivered", opened);
		send("redelivered", broken);
		send("redelivered", broken);
		send("redelivered", opened);
		send("redelivered", broken("redelivered", "e3", 2, "VENDOR"));

		JsonNode engagement = awaitEngagement("redelivered", 2);
		assertThat(engagement.path("eventCount").asInt()).isEqualTo(3);
		assertThat(engagement.path("brokenPromises").path("client").asInt()).isEqualTo(1);
		assertThat(engagement.path("brokenPromises").path("vendor").asInt()).isEqualTo(1);
		assertThat(json.readTree(get("/api/engagements/redelivered/events").body()).path("events")).hasSize(3);
		assertThat(engagement.has("sequenceGaps")).isFalse();
	}

	@Test
	void anAttemptThatCrashedAfterWritingTheHistoryDoesNotCountTheEventTwice() throws Exception {
		// what a crash between the history write and the commit of the engagement leaves
		try (com.mongodb.client.MongoClient mongo = com.mongodb.client.MongoClients
			.create(infra.mongoConnectionString())) {
			mongo.getDatabase("trustledger-query")
				.getCollection("engagement_history")
				.insertOne(new org.bson.Document("_id", "crashed#2026-01")
					.append("events", new org.bson.Document("0", new org.bson.Document("eventId", "c1")
						.append("type", "trustledger.engagement.EngagementOpened.v1")
						.append("recordedAt", "2026-03-01T00:00:00Z")
						.append("data",
								"""
										{"engagementId":"crashed","clientName":"Client crashed","accountTeam":"Team",											"deliveryLead":"Lead","openedAt":"2026-01-01T00:00:00Z","recordedBy":"alice"}"""))));
		}
		send("crashed", opened("crashed", "c1"));
		send("crashed", broken("crashed", "c2", 1, "VENDOR"));

		awaitEngagement("crashed", 1);
		assertThat(json.readTree(get("/api/engagements/crashed/timeline").body()).path("points")).hasSize(2);
		assertThat(json.readTree(get("/api/engagements/crashed/events").body()).path("events")).hasSize(2);
	}

	@Test
	void aGapInTheSequenceIsKeptOnRecordNotSkippedSilently() throws Exception {
		send("gappy", opened("gappy", "g1"));
		send("gappy", broken("gappy", "g3", 2, "VENDOR"));

		JsonNode engagement = awaitEngagement("gappy", 2);
		assertThat(engagement.path("eventCount").asInt()).isEqualTo(2);
		assertThat(engagement.path("sequenceGaps")).hasSize(1);
		assertThat(engagement.path("sequenceGaps").get(0).path("expected").asInt()).isEqualTo(1);
		assertThat(engagement.path("sequenceGaps").get(0).path("received").asInt()).isEqualTo(2);
	}

	/**
	 * Before, an unreadable record was logged and skipped, and the engagement's later
	 * events applied as if nothing had been there. Now it is parked with the reason, the
	 * engagement's later records wait behind it, other engagements carry on, and an
	 * operator discards it and retries the rest in order.
	 */
	@Test
	void anUnreadableRecordIsParkedWithItsEngagementsLaterRecordsBehindIt() throws Exception {
		send("after-garbage", opened("after-garbage", "a1"));
		awaitEngagement("after-garbage", 0);
		Properties props = new Properties();
		props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
		props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(props)) {
			raw.send(new ProducerRecord<>(TOPIC, "after-garbage", "{not json".getBytes(StandardCharsets.UTF_8))).get();
		}
		send("after-garbage",
				CloudEventBuilder.v1(broken("after-garbage", "a2", 1, "VENDOR"))
					.withType("trustledger.engagement.SomethingNew.v1")
					.build());
		send("after-garbage", broken("after-garbage", "a3", 2, "VENDOR"));
		send("bystander", opened("bystander", "b1"));
		send("bystander", broken("bystander", "b2", 1, "CLIENT"));

		awaitEngagement("bystander", 1);
		List<JsonNode> parked = awaitParked("after-garbage", 3);
		assertThat(parked.get(0).path("reason").asText()).contains("Unreadable");
		assertThat(parked.get(1).path("reason").asText()).contains("waiting behind");
		assertThat(parked).extracting((record) -> record.path("offset").asLong()).isSorted();
		assertThat(json.readTree(get("/api/engagements/after-garbage").body()).path("lastSequence").asInt()).isZero();
		JsonNode health = json.readTree(get("/actuator/health", admin()).body());
		assertThat(health.path("status").asText()).isEqualTo("UP");
		assertThat(health.path("components").path("parked").path("details").path("parkedRecords").asInt())
			.isGreaterThanOrEqualTo(3);
		// only admins see them
		assertThat(get("/api/parked").statusCode()).isEqualTo(403);

		HttpResponse<String> discarded = send("DELETE", "/api/parked/" + parked.get(0).path("id").asText());
		assertThat(discarded.statusCode()).isEqualTo(204);
		assertThat(send("DELETE", "/api/parked/" + parked.get(0).path("id").asText()).statusCode()).isEqualTo(404);
		JsonNode retried = json.readTree(send("POST", "/api/parked/retry?engagementId=after-garbage").body());
		assertThat(retried.path("projected").asInt()).isEqualTo(2);

		JsonNode engagement = awaitEngagement("after-garbage", 2);
		assertThat(engagement.path("eventCount").asInt()).isEqualTo(3);
		assertThat(engagement.path("brokenPromises").path("vendor").asInt()).isEqualTo(1);
		assertThat(engagement.has("sequenceGaps")).isFalse();
		assertThat(parkedOf("after-garbage")).isEmpty();
		// and its next record is applied directly
		send("after-garbage", broken("after-garbage", "a4", 3, "CLIENT"));
		awaitEngagement("after-garbage", 3);
	}

	/**
	 * Found reading the code: a promise due in a far-future year made the projection
	 * throw on a date conversion, and the listener retried it without limit, holding up
	 * every engagement of its partition. It is now retried a few times, then parked.
	 */
	@Test
	void aRecordTheProjectionCannotApplyIsRetriedThenParkedAndOthersCarryOn() throws Exception {
		send("far-due", opened("far-due", "f1"));
		send("far-due", envelope("far-due", "f2", 1, "trustledger.engagement.PromiseMade.v1", """
				{"engagementId":"far-due","incidentId":"f2","promiseId":"p","party":"VENDOR","severity":3,
				 "dueBy":"+999999999-12-31T23:59:59Z","occurredAt":"2026-02-01T00:00:00Z","recordedBy":"alice"}"""));
		send("far-due", broken("far-due", "f3", 2, "VENDOR"));
		send("far-bystander", opened("far-bystander", "x1"));

		awaitEngagement("far-bystander", 0);
		List<JsonNode> parked = awaitParked("far-due", 2);
		assertThat(parked.get(0).path("reason").asText()).isNotBlank().doesNotContain("waiting behind");
		assertThat(json.readTree(get("/api/engagements/far-due").body()).path("lastSequence").asInt()).isZero();
		// a retry without a fix changes nothing and counts the attempt
		JsonNode retried = json.readTree(send("POST", "/api/parked/retry?engagementId=far-due").body());
		assertThat(retried.path("projected").asInt()).isZero();
		assertThat(parkedOf("far-due")).hasSize(2);
		assertThat(parkedOf("far-due").get(0).path("attempts").asInt()).isEqualTo(2);
	}

	@Test
	void theApiDescriptionPassesTheLint() throws Exception {
		HttpResponse<String> description = get("/v3/api-docs");
		assertThat(description.statusCode()).isEqualTo(200);
		// kept for a reader, or a client generator: target/openapi/query-api.json
		java.nio.file.Path kept = java.nio.file.Path.of("target", "openapi", "query-api.json");
		java.nio.file.Files.createDirectories(kept.getParent());
		java.nio.file.Files.writeString(kept, description.body());
		assertThat(OpenApiLint.errors(json.readTree(description.body()))).isEmpty();
	}

	@Test
	void anUnknownEngagementIsAProblem() throws Exception {
		HttpResponse<String> response = get("/api/engagements/never-recorded");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(json.readTree(response.body()).path("code").asText()).isEqualTo("engagement-not-found");
	}

	@Test
	void aBackdatedEventIsScoredAsIfItHadBeenRecordedInOrder() throws Exception {
		// the same history twice: in order, and with the broken promise recorded last
		send("in-order", opened("in-order", "o1"));
		send("in-order", brokenAt("in-order", "o2", 1, "2026-02-01T00:00:00Z"));
		send("in-order", brokenAt("in-order", "o3", 2, "2026-03-01T00:00:00Z"));
		send("in-order", brokenAt("in-order", "o4", 3, "2026-04-01T00:00:00Z"));
		send("late", opened("late", "l1"));
		send("late", brokenAt("late", "l2", 1, "2026-03-01T00:00:00Z"));
		send("late", brokenAt("late", "l3", 2, "2026-04-01T00:00:00Z"));
		send("late", brokenAt("late", "l4", 3, "2026-02-01T00:00:00Z"));

		JsonNode inOrder = awaitEngagement("in-order", 3);
		JsonNode late = awaitEngagement("late", 3);
		assertThat(inOrder.path("trust").decimalValue()).isLessThan(new java.math.BigDecimal("50"));
		assertThat(late.path("trust").decimalValue()).isEqualByComparingTo(inOrder.path("trust").decimalValue());
		assertThat(late.path("components")).isEqualTo(inOrder.path("components"));
		assertThat(late.path("modelVersion").asText()).isEqualTo("v1");
		for (String field : List.of("mutualResponsibility", "band", "trend30d", "stale", "eventCount", "lastEventAt")) {
			assertThat(late.has(field)).as(field).isTrue();
		}
		assertThat(trusts(get("/api/engagements/late/timeline")))
			.isEqualTo(trusts(get("/api/engagements/in-order/timeline")))
			.hasSize(4);
		assertThat(
				json.readTree(get("/api/engagements/late/timeline?granularity=week&from=2026-02-15T00:00:00Z").body())
					.path("points"))
			.hasSize(2);
	}

	@Test
	void shuffledRecordingOrdersGiveTheSameTimeline() throws Exception {
		java.util.Random random = new java.util.Random(11L);
		List<String> days = new ArrayList<>();
		for (int day = 10; day < 22; day++) {
			days.add("2026-02-" + day + "T00:00:00Z");
		}
		List<List<String>> timelines = new ArrayList<>();
		for (int run = 0; run < 3; run++) {
			String id = "shuffled-" + run;
			List<String> order = new ArrayList<>(days);
			java.util.Collections.shuffle(order, random);
			send(id, opened(id, id + "-0"));
			for (int i = 0; i < order.size(); i++) {
				String day = order.get(i);
				int dayOfMonth = Integer.parseInt(day.substring(8, 10));
				// the event that occurred on a given day is the same in every run; only
				// the recording order differs
				send(id, (dayOfMonth % 3 == 0) ? severeAt(id, id + "-" + (i + 1), i + 1, day)
						: brokenAt(id, id + "-" + (i + 1), i + 1, day));
			}
			awaitEngagement(id, days.size());
			timelines.add(trusts(get("/api/engagements/" + id + "/timeline")));
		}
		assertThat(timelines.get(0)).hasSize(days.size() + 1);
		assertThat(timelines.get(1)).isEqualTo(timelines.get(0));
		assertThat(timelines.get(2)).isEqualTo(timelines.get(0));
	}

	@Test
	void aTimelineKeptAMonthToABucketIsReadAsItIsAndLaidOutAnewByItsNextEvent() throws Exception {
		String id = "monthly";
		send(id, opened(id, "mo0"));
		Instant first = Instant.parse("2026-02-14T00:00:00Z");
		for (int i = 1; i <= 14; i++) {
			send(id, (i % 3 == 0) ? brokenAt(id, "mo" + i, i, first.plus(Duration.ofDays(30L * i)).toString())
					: keptAt(id, "mo" + i, i, first.plus(Duration.ofDays(30L * i)).toString()));
		}
		awaitEngagement(id, 14);
		List<String> whole = trusts(get("/api/engagements/" + id + "/timeline"));
		assertThat(whole).hasSize(15);
		MongoCollection<Document> timeline = currentCollection(ScoreProjection.TIMELINE);
		MongoCollection<Document> engagements = currentCollection(EngagementProjection.COLLECTION);
		org.bson.conversions.Bson ofIt = bucketsOf(id);
		List<org.bson.Document> buckets = timeline.find(ofIt).into(new ArrayList<>());
		assertThat(buckets).as("15 points over 15 months make one bucket").hasSize(1);
		assertThat(engagements.find(com.mongodb.client.model.Filters.eq("_id", id))
			.first()
			.getList(TimelineLayout.FIELD, String.class)).containsExactly("2026-01");
		// as an earlier version kept it: a bucket of points for each month, and no layout
		// on the engagement
		java.util.Map<String, List<org.bson.Document>> byMonth = new java.util.TreeMap<>();
		for (org.bson.Document point : EngagementDocuments.points(buckets.get(0))) {
			byMonth.computeIfAbsent(point.getString("occurredAt").substring(0, 7), (month) -> new ArrayList<>())
				.add(point);
		}
		assertThat(byMonth).hasSize(15);
		timeline.deleteMany(ofIt);
		byMonth.forEach((month, points) -> timeline
			.insertOne(new org.bson.Document("_id", id + "#" + month).append("points", points)));
		engagements.updateOne(com.mongodb.client.model.Filters.eq("_id", id),
				com.mongodb.client.model.Updates.unset(TimelineLayout.FIELD));
		// a question not answered before, so that no kept answer is given
		assertThat(trusts(get("/api/engagements/" + id + "/timeline?maxPoints=999"))).isEqualTo(whole);
		assertThat(json.readTree(get("/api/engagements/" + id + "/events?limit=4").body())
			.path("events")
			.findValuesAsText("eventId")).containsExactly("mo11", "mo12", "mo13", "mo14");

		send(id, keptAt(id, "mo15", 15, first.plus(Duration.ofDays(30L * 15)).toString()));
		awaitEngagement(id, 15);
		assertThat(timeline.find(ofIt).map((bucket) -> bucket.getString("_id")).into(new ArrayList<>()))
			.as("the monthly buckets replaced by the layout's")
			.containsExactly(id + "#2026-01");
		assertThat(engagements.find(com.mongodb.client.model.Filters.eq("_id", id))
			.first()
			.getList(TimelineLayout.FIELD, String.class)).containsExactly("2026-01");
		List<String> after = trusts(get("/api/engagements/" + id + "/timeline"));
		assertThat(after).hasSize(16);
		assertThat(after.subList(0, 15)).isEqualTo(whole);
		assertThat(json.readTree(get("/api/engagements/" + id + "/events?limit=100").body()).path("events"))
			.hasSize(16);
	}

	@Test
	void bucketsReadOnceAnswerOtherQuestionsFromMemoryUntilTheEngagementsNextEvent() throws Exception {
		String id = "kept-buckets";
		send(id, opened(id, "kb0"));
		Instant first = Instant.parse("2026-03-01T09:00:00Z");
		for (int i = 1; i <= 5; i++) {
			send(id, keptAt(id, "kb" + i, i, first.plus(Duration.ofDays(i)).toString()));
		}
		awaitEngagement(id, 5);
		List<String> whole = trusts(get("/api/engagements/" + id + "/timeline"));
		assertThat(whole).hasSize(6);
		MongoCollection<Document> timeline = currentCollection(ScoreProjection.TIMELINE);
		org.bson.conversions.Bson ofIt = bucketsOf(id);
		List<org.bson.Document> stored = timeline.find(ofIt).into(new ArrayList<>());
		assertThat(stored).isNotEmpty();
		timeline.deleteMany(ofIt);
		try {
			// new questions, so that no kept answer is given: the buckets kept in memory
			// answer them, read again from the text they were stored as
			assertThat(trusts(get("/api/engagements/" + id + "/timeline?maxPoints=998"))).isEqualTo(whole);
			assertThat(trusts(get("/api/engagements/" + id + "/timeline?from=" + first.plus(Duration.ofDays(3)))))
				.isEqualTo(whole.subList(3, 6));
		}
		finally {
			timeline.insertMany(stored);
		}
		send(id, keptAt(id, "kb6", 6, first.plus(Duration.ofDays(6)).toString()));
		awaitEngagement(id, 6);
		List<String> after = trusts(get("/api/engagements/" + id + "/timeline?maxPoints=998"));
		assertThat(after).hasSize(7);
		assertThat(after.subList(0, 6)).isEqualTo(whole);
	}

	private static MongoCollection<Document> currentCollection(String name) {
		return service.getBean(Generations.class).current().collection(name);
	}

	/** The timeline buckets of an engagement, by their ids. */
	private static org.bson.conversions.Bson bucketsOf(String engagementId) {
		return com.mongodb.client.model.Filters.regex("_id", "^" + engagementId + "#");
	}

	private static List<String> trusts(HttpResponse<String> timeline) throws Exception {
		List<String> trusts = new ArrayList<>();
		json.readTree(timeline.body())
			.path("points")
			.forEach((point) -> trusts.add(point.path("occurredAt").asText() + "="
					+ point.path("trust").decimalValue().stripTrailingZeros().toPlainString()));
		return trusts;
	}

	@Test
	void aFallInTrustRaisesEachAlertOncePerCrossingOnKafkaAndTheApi() throws Exception {
		send("sliding", opened("sliding", "sl0"));
		for (int i = 1; i <= 5; i++) {
			send("sliding", severeAt("sliding", "sl" + i, i, "2026-01-0" + (i + 1) + "T00:00:00Z"));
		}
		awaitEngagement("sliding", 5);

		JsonNode alerts = json.readTree(get("/api/alerts?engagementId=sliding").body()).path("alerts");
		List<String> kinds = new ArrayList<>();
		alerts.forEach((alert) -> kinds.add(alert.path("kind").asText()));
		assertThat(kinds).containsExactlyInAnyOrder("TRUST_DROP", "ENTERED_AT_RISK");
		HttpResponse<String> nobody = get("/api/alerts?engagementId=nobody-of-that-name");
		assertThat(nobody.statusCode()).isEqualTo(200);
		assertThat(json.readTree(nobody.body()).path("alerts")).isEmpty();
		for (JsonNode alert : alerts) {
			assertThat(alert.path("causedBy")).isNotEmpty();
			assertThat(alert.path("trust").decimalValue()).isLessThan(alert.path("peakTrust").decimalValue());
		}
		try (KafkaConsumer<String, CloudEvent> consumer = alertsConsumer("alert-check")) {
			List<CloudEvent> published = new ArrayList<>();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach((record) -> {
					if ("sliding".equals(record.key())) {
						published.add(record.value());
					}
				});
				return published.size() >= 2;
			});
			assertThat(published).extracting(CloudEvent::getType).containsOnly("trustledger.alert.TrustAlertRaised.v1");
			assertThat(published).extracting(CloudEvent::getSubject).containsOnly("sliding");
		}
	}

	@Test
	void thePortfolioSortsFiltersAndPages() throws Exception {
		send("portfolio-a", opened("portfolio-a", "pa0"));
		send("portfolio-b", opened("portfolio-b", "pb0"));
		send("portfolio-b", severeAt("portfolio-b", "pb1", 1, "2026-02-01T00:00:00Z"));
		awaitEngagement("portfolio-a", 0);
		awaitEngagement("portfolio-b", 1);

		JsonNode ascending = json.readTree(get("/api/engagements?sort=trust&direction=asc&size=200").body());
		List<String> order = new ArrayList<>();
		ascending.path("items").forEach((item) -> order.add(item.path("engagementId").asText()));
		assertThat(order.indexOf("portfolio-b")).isLessThan(order.indexOf("portfolio-a"));
		List<java.math.BigDecimal> trusts = new ArrayList<>();
		ascending.path("items").forEach((item) -> trusts.add(item.path("trust").decimalValue()));
		assertThat(trusts).isSorted();
		JsonNode firstPage = json.readTree(get("/api/engagements?size=1&page=0").body());
		assertThat(firstPage.path("items")).hasSize(1);
		assertThat(firstPage.path("total").asInt()).isEqualTo(ascending.path("total").asInt());
		JsonNode watch = json.readTree(get("/api/engagements?band=watch&size=200").body());
		watch.path("items").forEach((item) -> assertThat(item.path("band").asText()).isEqualTo("WATCH"));
		assertThat(get("/api/engagements?sort=colour").statusCode()).isEqualTo(400);
		HttpResponse<String> badDate = get("/api/engagements?asOf=yesterday");
		assertThat(badDate.statusCode()).isEqualTo(400);
		assertThat(badDate.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(json.readTree(badDate.body()).path("code").asText()).isEqualTo("invalid-field");
		assertThat(json.readTree(badDate.body()).path("field").asText()).isEqualTo("asOf");
	}

	@Test
	void aLongTimelineIsReducedToItsBudgetKeepingItsShapeAndSaysWhereEveryPointIs() throws Exception {
		String id = "long-timeline";
		send(id, opened(id, id + "-0"));
		int events = 300;
		Instant start = Instant.parse("2026-01-02T00:00:00Z");
		for (int i = 1; i <= events; i++) {
			// a severe miss every tenth day: trust falls, alerts are raised, then it
			// recovers a
			// little as the misses fade
			String at = start.plus(Duration.ofHours(20L * i)).toString();
			send(id, (i % 10 == 0) ? severeAt(id, id + "-" + i, i, at) : keptAt(id, id + "-" + i, i, at));
		}
		awaitEngagement(id, events);

		JsonNode whole = json.readTree(get("/api/engagements/" + id + "/timeline").body());
		assertThat(whole.path("reduced").asBoolean()).isFalse();
		assertThat(whole.path("points")).hasSize(events + 1);
		assertThat(whole.path("pointsInRange").asInt()).isEqualTo(events + 1);

		HttpResponse<String> first = get("/api/engagements/" + id + "/timeline?maxPoints=40");
		String etag = first.headers().firstValue("ETag").orElseThrow();
		String port = service.getEnvironment().getProperty("local.server.port");
		HttpResponse<String> unchanged = http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/engagements/" + id + "/timeline?maxPoints=40"))
			.header("Authorization", users.withRole("DELIVERY_LEAD").basicAuthorization())
			.header("If-None-Match", etag)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(unchanged.statusCode()).as("asked again with its ETag").isEqualTo(304);
		assertThat(get("/api/engagements/" + id + "/timeline?maxPoints=41").headers().firstValue("ETag"))
			.as("another question")
			.isNotEqualTo(Optional.of(etag));
		// a client that accepts gzip gets the same answer compressed, under its own ETag
		HttpRequest.Builder gzipped = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/engagements/" + id + "/timeline"))
			.header("Authorization", users.withRole("DELIVERY_LEAD").basicAuthorization())
			.header("Accept-Encoding", "br;q=1.0, gzip;q=0.8");
		HttpResponse<byte[]> compressed = http.send(gzipped.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(compressed.headers().firstValue("Content-Encoding")).hasValue("gzip");
		assertThat(compressed.headers().allValues("Vary")).anyMatch((vary) -> vary.contains("Accept-Encoding"));
		byte[] inflated = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(compressed.body()))
			.readAllBytes();
		assertThat(compressed.body().length * 4).as("compressed").isLessThan(inflated.length);
		assertThat(json.readTree(inflated)).isEqualTo(whole);
		String gzipTag = compressed.headers().firstValue("ETag").orElseThrow();
		HttpResponse<String> notModified = http.send(gzipped.header("If-None-Match", gzipTag).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(notModified.statusCode()).isEqualTo(304);
		assertThat(notModified.headers().allValues("Vary")).as("a 304 varies as its 200")
			.anyMatch((vary) -> vary.contains("Accept-Encoding"));
		assertThat(gzipTag)
			.isNotEqualTo(get("/api/engagements/" + id + "/timeline").headers().firstValue("ETag").orElseThrow());
		HttpResponse<String> refused = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/engagements/" + id + "/timeline"))
					.header("Authorization", users.withRole("DELIVERY_LEAD").basicAuthorization())
					.header("Accept-Encoding", "GZIP;Q=0, identity")
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
		assertThat(json.readTree(refused.body())).isEqualTo(whole);
		JsonNode reduced = json.readTree(first.body());
		assertThat(reduced.path("reduced").asBoolean()).isTrue();
		assertThat(reduced.path("maxPoints").asInt()).isEqualTo(40);
		assertThat(reduced.path("pointsInRange").asInt()).isEqualTo(events + 1);
		List<Long> sequences = new ArrayList<>();
		reduced.path("points").forEach((point) -> sequences.add(point.path("sequence").asLong()));
		assertThat(sequences).hasSizeLessThanOrEqualTo(40).hasSizeGreaterThan(20).isSorted().doesNotHaveDuplicates();
		assertThat(sequences).startsWith(0L).endsWith((long) events);
		JsonNode alerts = json.readTree(get("/api/alerts?engagementId=" + id + "&limit=1000").body()).path("alerts");
		assertThat(alerts).isNotEmpty();
		for (JsonNode alert : alerts) {
			String alertId = alert.path("alertId").asText();
			assertThat(sequences).as("the point that raised " + alertId)
				.contains(Long.parseLong(alertId.substring(alertId.lastIndexOf(':') + 1)));
		}
		// the lowest and the highest of each score over the whole timeline survive
		for (String score : List.of("trust", "mutualResponsibility")) {
			List<Double> all = new ArrayList<>();
			whole.path("points").forEach((point) -> all.add(point.path(score).asDouble()));
			List<Double> kept = new ArrayList<>();
			reduced.path("points").forEach((point) -> kept.add(point.path(score).asDouble()));
			assertThat(kept).as(score).contains(java.util.Collections.min(all), java.util.Collections.max(all));
		}
		// every point is in the CSV export the answer names
		String everyPoint = reduced.path("everyPoint").asText();
		assertThat(everyPoint).startsWith("/api/engagements/" + id + "/timeline.csv");
		HttpResponse<String> csv = get(everyPoint);
		assertThat(csv.statusCode()).isEqualTo(200);
		assertThat(csv.body().lines().count()).isEqualTo(events + 2);

		// a window holds exactly the points that occurred in it
		Instant from = start.plus(Duration.ofDays(60));
		Instant to = start.plus(Duration.ofDays(90));
		JsonNode window = json.readTree(
				get("/api/engagements/" + id + "/timeline?from=" + from + "&to=" + to + "&maxPoints=10000").body());
		List<Long> expected = new ArrayList<>();
		whole.path("points").forEach((point) -> {
			Instant at = Instant.parse(point.path("occurredAt").asText());
			if (!at.isBefore(from) && !at.isAfter(to)) {
				expected.add(point.path("sequence").asLong());
			}
		});
		List<Long> inWindow = new ArrayList<>();
		window.path("points").forEach((point) -> inWindow.add(point.path("sequence").asLong()));
		assertThat(inWindow).isNotEmpty().isEqualTo(expected);
		assertThat(window.path("everyPoint").asText()).contains("from=").contains("to=");

		for (String bad : List.of("maxPoints=1", "maxPoints=10001",
				"from=2026-03-01T00:00:00Z&to=2026-02-01T00:00:00Z")) {
			HttpResponse<String> rejected = get("/api/engagements/" + id + "/timeline?" + bad);
			assertThat(rejected.statusCode()).as(bad).isEqualTo(400);
			assertThat(json.readTree(rejected.body()).path("field").asText()).as(bad)
				.isEqualTo(bad.startsWith("max") ? "maxPoints" : "from");
		}
	}

	@Test
	void theHistoryIsReadAPageAtATimeFromTheLatestAndItsEarlierLinksLeadThroughEveryEvent() throws Exception {
		String id = "paged-history";
		send(id, opened(id, id + "-0"));
		int events = 40;
		Instant start = Instant.parse("2026-01-03T00:00:00Z");
		for (int i = 1; i <= events; i++) {
			// every third day, and two events at one instant, on the edge of a page
			Instant at = (i == 31) ? start.plus(Duration.ofDays(3L * 30)) : start.plus(Duration.ofDays(3L * i));
			send(id, (i % 7 == 0) ? severeAt(id, id + "-" + i, i, at.toString())
					: keptAt(id, id + "-" + i, i, at.toString()));
		}
		awaitEngagement(id, events);
		JsonNode all = json.readTree(get("/api/engagements/" + id + "/events?limit=10000").body());
		List<Long> everyEvent = new ArrayList<>();
		all.path("events").forEach((event) -> everyEvent.add(event.path("sequence").asLong()));
		assertThat(everyEvent).hasSize(events + 1).doesNotHaveDuplicates();
		assertThat(all.path("earlier").isNull()).isTrue();

		JsonNode latest = json.readTree(get("/api/engagements/" + id + "/events?limit=10").body());
		assertThat(latest.path("events")).hasSize(10);
		assertThat(latest.path("events").get(9).path("sequence").asLong()).isEqualTo(everyEvent.get(events));
		List<Long> paged = new ArrayList<>();
		JsonNode page = latest;
		int pages = 0;
		while (true) {
			List<Long> sequences = new ArrayList<>();
			page.path("events").forEach((event) -> sequences.add(event.path("sequence").asLong()));
			paged.addAll(0, sequences);
			pages++;
			if (page.path("earlier").isNull()) {
				break;
			}
			assertThat(pages).as("pages").isLessThan(10);
			page = json.readTree(get(page.path("earlier").asText()).body());
		}
		assertThat(paged).as("every event once, in order, through the earlier links").isEqualTo(everyEvent);

		String from = start.plus(Duration.ofDays(30)).toString();
		String to = start.plus(Duration.ofDays(60)).toString();
		JsonNode window = json.readTree(get("/api/engagements/" + id + "/events?from=" + from + "&to=" + to).body());
		List<Long> inWindow = new ArrayList<>();
		window.path("events").forEach((event) -> inWindow.add(event.path("sequence").asLong()));
		assertThat(inWindow).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
		assertThat(window.path("from").asText()).isEqualTo(from);

		for (String invalid : List.of("limit=0", "limit=10001", "beforeSequence=3", "from=" + to + "&to=" + from)) {
			HttpResponse<String> rejected = get("/api/engagements/" + id + "/events?" + invalid);
			assertThat(rejected.statusCode()).as(invalid).isEqualTo(400);
			assertThat(json.readTree(rejected.body()).path("code").asText()).isEqualTo("invalid-field");
		}
	}

	@Test
	void thePortfolioFromMemoryAnswersWhatTheStoreAnswers() throws Exception {
		for (int i = 0; i < 12; i++) {
			String id = "mirror-" + i;
			send(id, opened(id, id + "-0"));
			for (int j = 1; j <= i % 4; j++) {
				send(id, (j % 2 == 0) ? severeAt(id, id + "-" + j, j, "2026-02-0" + j + "T00:00:00Z")
						: brokenAt(id, id + "-" + j, j, "2026-02-0" + j + "T00:00:00Z"));
			}
		}
		for (int i = 0; i < 12; i++) {
			awaitEngagement("mirror-" + i, i % 4);
		}
		MongoCollection<Document> engagements = service.getBean(Generations.class).current().collection("engagements");
		Map<String, String> fields = Map.of("trust", "scores.trust", "responsibility", "scores.mutualResponsibility",
				"change", "scores.trend30d");
		Map<String, Bson> filters = Map.of("", new Document(), "&band=watch", Filters.eq("scores.band", "WATCH"),
				"&deliveryLead=Lead", Filters.eq("deliveryLead", "Lead"), "&accountTeam=Nobody",
				Filters.eq("accountTeam", "Nobody"), "&band=at_risk&deliveryLead=Lead",
				Filters.and(Filters.eq("scores.band", "AT_RISK"), Filters.eq("deliveryLead", "Lead")),
				"&deliveryLead=Lead&accountTeam=Nobody",
				Filters.and(Filters.eq("deliveryLead", "Lead"), Filters.eq("accountTeam", "Nobody")));
		for (String sort : fields.keySet()) {
			for (String direction : List.of("asc", "desc")) {
				for (Map.Entry<String, Bson> filter : filters.entrySet()) {
					Bson order = Sorts.orderBy(direction.equals("asc") ? Sorts.ascending(fields.get(sort))
							: Sorts.descending(fields.get(sort)), Sorts.ascending("_id"));
					for (int page = 0; page < 3; page++) {
						int skip = page * 5;
						List<String> stored = new ArrayList<>();
						engagements.find(filter.getValue())
							.sort(order)
							.skip(skip)
							.limit(5)
							.forEach((document) -> stored.add(document.getString("_id")));
						String query = "/api/engagements?sort=" + sort + "&direction=" + direction + "&size=5&page="
								+ page + filter.getKey();
						await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
							JsonNode answer = json.readTree(get(query).body());
							List<String> ids = new ArrayList<>();
							answer.path("items").forEach((item) -> ids.add(item.path("engagementId").asText()));
							assertThat(ids).as(query).isEqualTo(stored);
							assertThat(answer.path("total").asLong()).as(query)
								.isEqualTo(engagements.countDocuments(filter.getValue()));
						});
					}
				}
			}
		}
	}

	@Test
	void anEngagementProjectedByAnotherInstanceIsReadAgainForThePortfolio() throws Exception {
		String id = "elsewhere";
		send(id, opened(id, id + "-0"));
		awaitEngagement(id, 0);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> json.readTree(get("/api/engagements?accountTeam=Team&size=200").body())
				.path("items")
				.findValuesAsText("engagementId")
				.contains(id));
		// another instance of the consumer group commits sequence 1: its document changes
		// in
		// the store, and this instance's live feed sees the event on the topic
		MongoCollection<Document> engagements = service.getBean(Generations.class).current().collection("engagements");
		engagements.updateOne(Filters.eq("_id", id),
				Updates.combine(Updates.set("accountTeam", "Moved"), Updates.set("lastSequence", 1)));
		service.publishEvent(new EngagementEventSeen(id, 1));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> json.readTree(get("/api/engagements?accountTeam=Moved").body())
				.path("items")
				.findValuesAsText("engagementId")
				.contains(id));
	}

	/**
	 * A promise that becomes overdue raises its alert with no event (a sweep files it at
	 * the sequence of the promise), so a reduced timeline kept at the engagement's
	 * sequence, and its ETag, must change at the crossing, not at the next event. Dated
	 * 2031 so that by the wall clock nothing of it has passed.
	 */
	@Test
	void aReducedTimelineKeepsThePointOfAPromiseThatTimeMadeOverdueFromTheCrossingOn() throws Exception {
		String id = "overdue-point";
		LatestSequences sequences = service.getBean(LatestSequences.class);
		await().atMost(Duration.ofSeconds(30)).until(sequences::watching);
		Instant opened = Instant.parse("2031-01-01T00:00:00Z");
		send(id, envelope(id, id + "-0", 0, "trustledger.engagement.EngagementOpened.v1", """
				{"engagementId":"%s","clientName":"Client","accountTeam":"Team","deliveryLead":"Lead",
				 "openedAt":"%s","recordedBy":"alice"}""".formatted(id, opened)));
		int last = 12;
		int promise = 5;
		Instant dueBy = Instant.parse("2031-02-01T00:00:00Z");
		for (int i = 1; i <= last; i++) {
			String at = opened.plus(Duration.ofDays(i)).toString();
			send(id, (i == promise) ? promiseMade(id, id + "-" + i, i, dueBy.toString(), at)
					: keptAt(id, id + "-" + i, i, at));
		}
		awaitEngagement(id, last);
		dev.trustledger.scoring.ScoringModel model = service.getBean(Generations.class).current().engine().model();
		Instant overdue = dueBy.plus(Duration.ofDays(model.alerts().promiseOverdueDays()));
		Instant stale = opened.plus(Duration.ofDays(last + model.staleAfterDays()));
		assertThat(overdue).as("the promise's crossing comes before the quiet spell's").isBefore(stale);
		// three points: the first and the last, and any point an alert belongs to
		String timeline = "/api/engagements/" + id + "/timeline?maxPoints=3";

		HttpResponse<String> before = get(timeline);
		assertThat(pointSequences(before)).containsExactly(0L, (long) last);
		String beforeTag = before.headers().firstValue("ETag").orElseThrow();
		try {
			clock.set(overdue.plusSeconds(1));
			HttpResponse<String> after = get(timeline);
			assertThat(pointSequences(after)).as("the overdue promise's point, with no new event")
				.containsExactly(0L, (long) promise, (long) last);
			String afterTag = after.headers().firstValue("ETag").orElseThrow();
			assertThat(afterTag).isNotEqualTo(beforeTag).contains("-s" + last + "-");
			assertThat(getIfNoneMatch(timeline, beforeTag).statusCode()).as("the answer before the crossing is stale")
				.isEqualTo(200);
			assertThat(getIfNoneMatch(timeline, afterTag).statusCode()).isEqualTo(304);
			// given again from what is kept, without the store, as long as no other
			// crossing has come
			clock.set(stale.minusSeconds(1));
			MongoCollection<Document> engagements = currentCollection(EngagementProjection.COLLECTION);
			Document stored = engagements.find(Filters.eq("_id", id)).first();
			engagements.deleteOne(Filters.eq("_id", id));
			try {
				HttpResponse<String> kept = get(timeline);
				assertThat(kept.headers().firstValue("ETag")).hasValue(afterTag);
				assertThat(pointSequences(kept)).containsExactly(0L, (long) promise, (long) last);
				clock.set(stale);
				assertThat(get(timeline).statusCode()).as("the next crossing come: asked of the store again")
					.isEqualTo(404);
			}
			finally {
				engagements.insertOne(stored);
			}
		}
		finally {
			clock.set(null);
		}
		// the clock set back before the crossing: not the answer made after it
		HttpResponse<String> setBack = get(timeline);
		assertThat(pointSequences(setBack)).containsExactly(0L, (long) last);
		assertThat(setBack.headers().firstValue("ETag")).hasValue(beforeTag);
	}

	private static List<Long> pointSequences(HttpResponse<String> answer) throws Exception {
		assertThat(answer.statusCode()).isEqualTo(200);
		List<Long> sequences = new ArrayList<>();
		json.readTree(answer.body()).path("points").forEach((point) -> sequences.add(point.path("sequence").asLong()));
		return sequences;
	}

	/** As {@link #get(String)}, with an ETag in If-None-Match. */
	private static HttpResponse<String> getIfNoneMatch(String path, String ifNoneMatch) throws Exception {
		String port = service.getEnvironment().getProperty("local.server.port");
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", users.withRole("DELIVERY_LEAD").basicAuthorization())
			.header("If-None-Match", ifNoneMatch)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The wall clock, or an instant a test set. */
	static final class SettableClock extends java.time.Clock {

		private final java.util.concurrent.atomic.AtomicReference<Instant> fixed = new java.util.concurrent.atomic.AtomicReference<>();

		void set(Instant instant) {
			this.fixed.set(instant);
		}

		@Override
		public Instant instant() {
			Instant instant = this.fixed.get();
			return (instant != null) ? instant : java.time.Clock.systemUTC().instant();
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public java.time.Clock withZone(java.time.ZoneId zone) {
			throw new UnsupportedOperationException("UTC only");
		}

	}

	@Test
	void keptAnswersAreGivenWithoutAskingTheStoreUntilALaterEventIsKnown() throws Exception {
		String id = "kept-answer";
		LatestSequences sequences = service.getBean(LatestSequences.class);
		await().atMost(Duration.ofSeconds(30)).until(sequences::watching);
		send(id, opened(id, id + "-0"));
		send(id, keptAt(id, id + "-1", 1, "2026-03-02T09:00:00Z"));
		awaitEngagement(id, 1);
		String engagement = "/api/engagements/" + id;
		String timeline = engagement + "/timeline";
		HttpResponse<String> firstEngagement = get(engagement);
		HttpResponse<String> firstTimeline = get(timeline);
		assertThat(firstTimeline.statusCode()).isEqualTo(200);
		assertThat(firstTimeline.headers().firstValue("ETag"))
			.hasValueSatisfying((etag) -> assertThat(etag).contains("-s1-"));
		MongoCollection<Document> engagements = currentCollection(EngagementProjection.COLLECTION);
		Document stored = engagements.find(Filters.eq("_id", id)).first();
		// the engagement's document gone from the store: only what the store is not asked
		// for is still answered
		engagements.deleteOne(Filters.eq("_id", id));
		try {
			HttpResponse<String> keptEngagement = get(engagement);
			assertThat(keptEngagement.statusCode()).isEqualTo(200);
			assertThat(keptEngagement.body()).isEqualTo(firstEngagement.body());
			HttpResponse<String> keptTimeline = get(timeline);
			assertThat(keptTimeline.statusCode()).isEqualTo(200);
			assertThat(keptTimeline.body()).isEqualTo(firstTimeline.body());
			assertThat(get(timeline + "?maxPoints=997").statusCode()).isEqualTo(404);
			assertThat(get(engagement + "?asOf=2026-03-02T10:00:00Z").statusCode()).isEqualTo(404);
		}
		finally {
			engagements.insertOne(stored);
		}
		// this instance's projection applies sequence 2, which its live feed never sees
		// (it is not on the topic): the next answers are read from the store
		service.getBean(EngagementProjection.class)
			.apply(service.getBean(CloudEventReader.class).read(keptAt(id, id + "-2", 2, "2026-03-03T09:00:00Z")));
		assertThat(json.readTree(get(engagement).body()).path("lastSequence").asInt()).isEqualTo(2);
		HttpResponse<String> applied = get(timeline);
		assertThat(applied.headers().firstValue("ETag"))
			.hasValueSatisfying((etag) -> assertThat(etag).contains("-s2-"));
		assertThat(json.readTree(applied.body()).path("points")).hasSize(3);
		// another instance of the consumer group commits sequence 3, and this instance's
		// live feed sees the event on the topic: the next answers are read from the store
		engagements.updateOne(Filters.eq("_id", id), Updates.set("lastSequence", 3));
		service.publishEvent(new EngagementEventSeen(id, 3));
		assertThat(json.readTree(get(engagement).body()).path("lastSequence").asInt()).isEqualTo(3);
		HttpResponse<String> after = get(timeline);
		assertThat(after.statusCode()).isEqualTo(200);
		assertThat(after.headers().firstValue("ETag")).hasValueSatisfying((etag) -> assertThat(etag).contains("-s3-"));
	}

	@Test
	void theOpenAlertsAreTheLatestOfEachKindWhoseConditionStillHolds() throws Exception {
		for (String id : List.of("open-a", "open-b")) {
			send(id, opened(id, id + "-0"));
			for (int i = 1; i <= 5; i++) {
				send(id, severeAt(id, id + "-" + i, i, "2026-01-0" + (i + 1) + "T00:00:00Z"));
			}
		}
		// open-b recovers: kept promises over months clear its conditions
		for (int i = 6; i <= 40; i++) {
			send("open-b", keptAt("open-b", "open-b-" + i, i,
					Instant.parse("2026-01-10T00:00:00Z").plus(Duration.ofDays(5L * i)).toString()));
		}
		awaitEngagement("open-a", 5);
		awaitEngagement("open-b", 40);
		List<String> expected = new ArrayList<>();
		JsonNode all = json.readTree(get("/api/alerts?limit=1000").body()).path("alerts");
		java.util.Set<String> seen = new java.util.HashSet<>();
		for (JsonNode alert : all) {
			String engagementId = alert.path("engagementId").asText();
			String kind = alert.path("kind").asText();
			if (!seen.add(engagementId + "/" + kind)) {
				continue;
			}
			// the projection's own record of which alert conditions hold; not in the API
			Document state = service.getBean(Generations.class)
				.current()
				.collection("engagements")
				.find(Filters.eq("_id", engagementId))
				.first()
				.get("alertState", Document.class);
			String condition = Map
				.of("TRUST_DROP", "dropped", "ENTERED_AT_RISK", "atRisk", "MUTUAL_RESPONSIBILITY_LOW", "mutualLow",
						"SPONSOR_LOST", "sponsorLost", "ENGAGEMENT_STALE", "stale", "PROMISE_OVERDUE", "promiseOverdue")
				.get(kind);
			if (state.getBoolean(condition, false)) {
				expected.add(alert.path("alertId").asText());
			}
		}
		assertThat(expected).as("open-a is still at risk").anyMatch((alertId) -> alertId.startsWith("open-a:"));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			List<String> open = json.readTree(get("/api/alerts?open=true&limit=1000").body())
				.path("alerts")
				.findValuesAsText("alertId");
			assertThat(open).containsExactlyInAnyOrderElementsOf(expected);
		});
	}

	@Test
	void outcomesAreOnTheTimelineAndInTheHistoryAndMoveNoScore() throws Exception {
		String id = "outcomes";
		send(id, opened(id, "outcomes-0"));
		send(id, severeAt(id, "outcomes-1", 1, "2026-01-10T00:00:00Z"));
		send(id, envelope(id, "outcomes-2", 2, "trustledger.engagement.ClientEscalated.v1", """
				{"engagementId":"outcomes","incidentId":"outcomes-2","severity":4,"description":"wrote to our CEO",
				 "occurredAt":"2026-01-11T00:00:00Z","recordedBy":"alice"}"""));
		send(id, envelope(id, "outcomes-3", 3, "trustledger.engagement.RenewalDecided.v1", """
				{"engagementId":"outcomes","incidentId":"outcomes-3","decision":"CONTRACTED",
				 "occurredAt":"2026-01-12T00:00:00Z","recordedBy":"alice"}"""));
		send(id, envelope(id, "outcomes-4", 4, "trustledger.engagement.EngagementEnded.v1", """
				{"engagementId":"outcomes","incidentId":"outcomes-4","ending":"ENDED_BY_CLIENT",
				 "occurredAt":"2026-01-13T00:00:00Z","recordedBy":"alice"}"""));
		JsonNode engagement = awaitEngagement(id, 4);

		assertThat(engagement.path("status").asText()).isEqualTo("CLOSED");
		assertThat(engagement.path("outcome").path("ending").asText()).isEqualTo("ENDED_BY_CLIENT");
		assertThat(engagement.path("outcome").path("renewal").asText()).isEqualTo("CONTRACTED");
		assertThat(engagement.path("outcome").path("escalations").asInt()).isEqualTo(1);
		JsonNode points = json.readTree(get("/api/engagements/" + id + "/timeline").body()).path("points");
		assertThat(points).hasSize(5);
		for (int outcome = 2; outcome <= 4; outcome++) {
			JsonNode why = points.get(outcome).path("explanation");
			assertThat(why.path("trustChange").decimalValue()).as("an outcome is no evidence")
				.isLessThan(java.math.BigDecimal.ONE)
				.isGreaterThan(java.math.BigDecimal.ONE.negate());
		}
		assertThat(
				json.readTree(get("/api/engagements/" + id + "/events").body()).path("events").findValuesAsText("type"))
			.contains("trustledger.engagement.RenewalDecided.v1", "trustledger.engagement.ClientEscalated.v1",
					"trustledger.engagement.EngagementEnded.v1");

		String analyst = users.withRole("ANALYST").basicAuthorization();
		JsonNode backtest = json.readTree(get("/api/models/v1/backtest?horizon=1d", analyst).body());
		// every event here was recorded on 2026-03-01: a day before each outcome in
		// January, nothing of the engagement was known yet
		assertThat(backtest.path("unscored").asInt()).as("its three outcomes, as known a day before each").isEqualTo(3);
		assertThat(backtest.path("outcomes").asInt()).isZero();
		assertThat(backtest.path("predictors").path("trust").path("auc").isNull()).as("no AUC without a good outcome")
			.isTrue();
		HttpResponse<String> unreadable = get("/api/models/v1/backtest?horizon=soon", analyst);
		assertThat(unreadable.statusCode()).isEqualTo(400);
		assertThat(json.readTree(unreadable.body()).path("field").asText()).isEqualTo("horizon");
		assertThat(get("/api/models/nope/backtest", analyst).statusCode()).isEqualTo(404);
	}

	/**
	 * Dated 2019, before every other engagement here, so that sweeping at a 2019 instant
	 * finds no crossing but this engagement's.
	 */
	@Test
	void thePassingOfTimeRaisesStaleAndOverdueAlertsOncePublishedAndTheEventsThatEndThemClearThem() throws Exception {
		String id = "quiet";
		send(id, envelope(id, "quiet-0", 0, "trustledger.engagement.EngagementOpened.v1", """
				{"engagementId":"quiet","clientName":"Client quiet","accountTeam":"Team","deliveryLead":"Lead",
				 "openedAt":"2019-01-01T00:00:00Z","recordedBy":"alice"}"""));
		send(id, promiseMade(id, "quiet-1", 1, "2019-03-01T00:00:00Z", "2019-01-10T00:00:00Z"));
		send(id, promiseMade(id, "quiet-2", 2, "2019-12-01T00:00:00Z", "2019-01-11T00:00:00Z"));
		awaitEngagement(id, 2);
		TimeAlerts sweeps = service.getBean(TimeAlerts.class);
		int stale = service.getBean(Generations.class).current().engine().model().staleAfterDays();

		int published = sweeps.sweep(Instant.parse("2019-06-01T00:00:00Z"));
		published += sweeps.sweep(Instant.parse("2019-06-02T00:00:00Z"));
		assertThat(published).as("the quiet spell and the first promise, once").isEqualTo(2);
		assertThat(alertsOf(id)).containsExactlyInAnyOrder(
				"ENGAGEMENT_STALE quiet:ENGAGEMENT_STALE:2 "
						+ Instant.parse("2019-01-11T00:00:00Z").plus(Duration.ofDays(stale)),
				"PROMISE_OVERDUE quiet:PROMISE_OVERDUE:1 2019-03-02T00:00:00Z");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(openAlertsOf(id)).containsExactlyInAnyOrder("quiet:ENGAGEMENT_STALE:2",
					"quiet:PROMISE_OVERDUE:1"));

		// recorded now, backdated into the quiet spell: the spell goes on, one alert
		send(id, envelope(id, "quiet-3", 3, "trustledger.engagement.StoodByPartner.v1", """
				{"engagementId":"quiet","incidentId":"quiet-3","party":"VENDOR","severity":3,
				 "occurredAt":"2019-02-01T00:00:00Z","recordedBy":"alice"}"""));
		awaitEngagement(id, 3);
		assertThat(sweeps.sweep(Instant.parse("2019-06-02T12:00:00Z"))
				+ sweeps.sweep(Instant.parse("2019-06-03T00:00:00Z")))
			.isZero();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(openAlertsOf(id)).containsExactlyInAnyOrder("quiet:ENGAGEMENT_STALE:2",
					"quiet:PROMISE_OVERDUE:1"));

		// the first promise kept, after the quiet spell: both conditions end
		send(id, envelope(id, "quiet-4", 4, "trustledger.engagement.PromiseKept.v1", """
				{"engagementId":"quiet","incidentId":"quiet-4","promiseId":"quiet-1","party":"VENDOR","severity":3,
				 "occurredAt":"2019-06-03T00:00:00Z","recordedBy":"alice"}"""));
		awaitEngagement(id, 4);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openAlertsOf(id)).isEmpty());
		assertThat(sweeps.sweep(Instant.parse("2019-06-04T00:00:00Z"))).isZero();

		// quiet again, and the second promise past due: each raised once more
		Instant quietAgain = Instant.parse("2019-06-03T00:00:00Z").plus(Duration.ofDays(stale));
		assertThat(sweeps.sweep(quietAgain.plusSeconds(1))).isEqualTo(1);
		assertThat(sweeps.sweep(Instant.parse("2019-12-02T00:00:00Z"))).isEqualTo(1);
		assertThat(sweeps.sweep(Instant.parse("2019-12-03T00:00:00Z"))).isZero();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(openAlertsOf(id)).containsExactlyInAnyOrder("quiet:ENGAGEMENT_STALE:4",
					"quiet:PROMISE_OVERDUE:2"));

		try (KafkaConsumer<String, CloudEvent> consumer = alertsConsumer("time-alert-check")) {
			List<String> ids = new ArrayList<>();
			// every sweep returned after the broker had its alerts: read to the end
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach((record) -> {
					if (id.equals(record.key())) {
						ids.add(record.value().getId());
					}
				});
				return !consumer.assignment().isEmpty() && consumer.assignment()
					.stream()
					.allMatch((partition) -> consumer.position(partition) >= consumer.endOffsets(List.of(partition))
						.get(partition));
			});
			assertThat(ids).containsExactly("quiet:PROMISE_OVERDUE:1", "quiet:ENGAGEMENT_STALE:2",
					"quiet:ENGAGEMENT_STALE:4", "quiet:PROMISE_OVERDUE:2");
		}

		// closed: nothing is stale or overdue any more, whenever it is swept
		send(id, envelope(id, "quiet-5", 5, "trustledger.engagement.EngagementClosed.v1", """
				{"engagementId":"quiet","occurredAt":"2019-12-04T00:00:00Z","recordedBy":"alice"}"""));
		awaitEngagement(id, 5);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openAlertsOf(id)).isEmpty());
		assertThat(sweeps.sweep(Instant.parse("2021-01-01T00:00:00Z"))).isZero();
		assertThat(alertsOf(id)).hasSize(4);
	}

	/** A consumer of the alerts topic from its start, in a group of its own. */
	private static KafkaConsumer<String, CloudEvent> alertsConsumer(String group) {
		Properties props = new Properties();
		props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
		props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
		props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CloudEventDeserializer.class);
		KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(props);
		consumer.subscribe(List.of("trustledger.alerts"));
		return consumer;
	}

	private static List<String> alertsOf(String engagementId) throws Exception {
		List<String> alerts = new ArrayList<>();
		json.readTree(get("/api/alerts?engagementId=" + engagementId).body())
			.path("alerts")
			.forEach((alert) -> alerts.add(alert.path("kind").asText() + " " + alert.path("alertId").asText() + " "
					+ Instant.parse(alert.path("occurredAt").asText())));
		return alerts;
	}

	private static List<String> openAlertsOf(String engagementId) throws Exception {
		List<String> open = new ArrayList<>();
		json.readTree(get("/api/alerts?open=true&limit=1000").body()).path("alerts").forEach((alert) -> {
			if (engagementId.equals(alert.path("engagementId").asText())) {
				open.add(alert.path("alertId").asText());
			}
		});
		return open;
	}

	private static CloudEvent promiseMade(String engagementId, String eventId, long sequence, String dueBy,
			String occurredAt) {
		return envelope(engagementId, eventId, sequence, "trustledger.engagement.PromiseMade.v1", """
				{"engagementId":"%s","incidentId":"%s","promiseId":"%s","party":"VENDOR","severity":3,
				 "description":"a promise","dueBy":"%s","occurredAt":"%s","recordedBy":"alice"}"""
			.formatted(engagementId, eventId, eventId, dueBy, occurredAt));
	}

	@Test
	void thePortfolioAsOfADateIsKeptForTheNextPagesUntilSomethingChanges() throws Exception {
		String id = "as-of-cached";
		send(id, opened(id, id + "-0"));
		awaitEngagement(id, 0);
		String asOf = "/api/engagements?asOf=2026-03-01T00:00:00Z&size=200&accountTeam=Team";
		java.util.function.Supplier<JsonNode> item = () -> {
			try {
				for (JsonNode found : json.readTree(get(asOf).body()).path("items")) {
					if (found.path("engagementId").asText().equals(id)) {
						return found;
					}
				}
				return null;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		};
		JsonNode before = item.get();
		assertThat(before).isNotNull();
		assertThat(item.get()).as("asked again").isEqualTo(before);
		// a miss recorded late, but occurred before the date: the portfolio as of then
		// changes
		send(id, severeAt(id, id + "-1", 1, "2026-02-15T00:00:00Z"));
		awaitEngagement(id, 1);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(item.get().path("trust").decimalValue())
				.isLessThan(before.path("trust").decimalValue()));
	}

	@Test
	void thePortfolioAsOfADateIsFilteredSortedAndPagedAsEachEngagementAsOfThatDateSays() throws Exception {
		String lead = "Lead of the as-of orders";
		String date = "2026-03-01T00:00:00Z";
		Instant asOf = Instant.parse(date);
		// six engagements whose trust, responsibility and 30-day change differ, two alike
		List<String> ids = List.of("as-of-order-a", "as-of-order-b", "as-of-order-c", "as-of-order-d", "as-of-order-e",
				"as-of-order-f");
		for (int n = 0; n < ids.size(); n++) {
			String id = ids.get(n);
			send(id, envelope(id, id + "-0", 0, "trustledger.engagement.EngagementOpened.v1", """
					{"engagementId":"%s","clientName":"Client %s","accountTeam":"Team","deliveryLead":"%s",
					 "openedAt":"2026-01-01T00:00:00Z","recordedBy":"alice"}""".formatted(id, id, lead)));
			long sequence = 0;
			// d and e alike: ties broken by id
			int misses = (n == 4) ? 3 : n;
			for (int i = 0; i < misses; i++) {
				sequence++;
				send(id, severeAt(id, id + "-" + sequence, sequence,
						(i % 2 == 0) ? "2026-01-10T00:00:00Z" : "2026-02-20T00:00:00Z"));
			}
			for (int i = 0; i < 5 - misses; i++) {
				sequence++;
				send(id, keptAt(id, id + "-" + sequence, sequence, "2026-02-1" + i + "T00:00:00Z"));
			}
			// after the date, the other way round: counts for none of the orders
			for (int i = 0; i < 5 - misses; i++) {
				sequence++;
				send(id, severeAt(id, id + "-" + sequence, sequence, "2026-04-0" + (i + 1) + "T00:00:00Z"));
			}
			for (int i = 0; i < misses; i++) {
				sequence++;
				send(id, keptAt(id, id + "-" + sequence, sequence, "2026-04-1" + i + "T00:00:00Z"));
			}
			awaitEngagement(id, (int) sequence);
		}
		// what each engagement as of the date says, asked one by one, and its change over
		// the 30 days before
		Map<String, List<java.math.BigDecimal>> scores = new java.util.HashMap<>();
		Map<String, String> bands = new java.util.HashMap<>();
		for (String id : ids) {
			JsonNode then = json.readTree(get("/api/engagements/" + id + "?asOf=" + date).body());
			JsonNode monthBefore = json
				.readTree(get("/api/engagements/" + id + "?asOf=" + asOf.minus(Duration.ofDays(30))).body());
			scores.put(id, List.of(then.path("trust").decimalValue(), then.path("mutualResponsibility").decimalValue(),
					then.path("trust").decimalValue().subtract(monthBefore.path("trust").decimalValue())));
			bands.put(id, then.path("band").asText());
		}
		assertThat(scores.values().stream().map((three) -> three.get(0)).distinct()).as("trust differs")
			.hasSizeGreaterThan(3);
		for (int score = 0; score < 3; score++) {
			assertThat(scores.get("as-of-order-d").get(score)).as("d and e alike")
				.isEqualByComparingTo(scores.get("as-of-order-e").get(score));
		}
		assertThat(bands.values().stream().distinct()).as("more than one band").hasSizeGreaterThan(1);
		// the order now is not the order then: an answer from the scores of now fails
		java.util.Comparator<String> byTrustThen = java.util.Comparator.comparing((String id) -> scores.get(id).get(0));
		Map<String, java.math.BigDecimal> trustNow = new java.util.HashMap<>();
		for (String id : ids) {
			trustNow.put(id, json.readTree(get("/api/engagements/" + id).body()).path("trust").decimalValue());
		}
		assertThat(ids.stream().sorted(java.util.Comparator.comparing(trustNow::get)).toList())
			.isNotEqualTo(ids.stream().sorted(byTrustThen.thenComparing(String::toString)).toList());
		String portfolio = "/api/engagements?asOf=" + date + "&deliveryLead=" + lead.replace(" ", "%20");
		List<String> sorts = List.of("trust", "responsibility", "change");
		for (int key = 0; key < sorts.size(); key++) {
			for (String direction : List.of("asc", "desc")) {
				int score = key;
				java.util.Comparator<String> order = java.util.Comparator
					.comparing((String id) -> scores.get(id).get(score));
				if (direction.equals("desc")) {
					order = order.reversed();
				}
				List<String> expected = ids.stream().sorted(order.thenComparing(String::toString)).toList();
				List<String> paged = new ArrayList<>();
				for (int page = 0; page < 4; page++) {
					JsonNode answer = json.readTree(get(
							portfolio + "&sort=" + sorts.get(key) + "&direction=" + direction + "&size=2&page=" + page)
						.body());
					assertThat(answer.path("total").asInt()).isEqualTo(ids.size());
					answer.path("items").forEach((item) -> paged.add(item.path("engagementId").asText()));
				}
				assertThat(paged).as("%s %s, pages of 2", sorts.get(key), direction).isEqualTo(expected);
				String band = bands.get(expected.get(0));
				JsonNode inBand = json.readTree(get(portfolio + "&sort=" + sorts.get(key) + "&direction=" + direction
						+ "&size=200&band=" + band.toLowerCase(java.util.Locale.ROOT))
					.body());
				List<String> banded = new ArrayList<>();
				inBand.path("items").forEach((item) -> banded.add(item.path("engagementId").asText()));
				assertThat(banded).as("%s %s, band %s", sorts.get(key), direction, band)
					.isEqualTo(expected.stream().filter((id) -> bands.get(id).equals(band)).toList());
				assertThat(inBand.path("total").asInt()).isEqualTo(banded.size());
				// unfiltered: the whole portfolio then, in the same order
				List<String> everyone = new ArrayList<>();
				JsonNode all;
				int page = 0;
				do {
					all = json.readTree(get("/api/engagements?asOf=" + date + "&size=200&sort=" + sorts.get(key)
							+ "&direction=" + direction + "&page=" + page++)
						.body());
					all.path("items").forEach((item) -> everyone.add(item.path("engagementId").asText()));
				}
				while (all.path("items").size() == 200);
				assertThat(everyone).hasSize(all.path("total").asInt());
				assertThat(everyone.stream().filter(ids::contains).toList()).isEqualTo(expected);
			}
		}
		// a page far past the last, however far: empty, with the count
		HttpResponse<String> far = get(portfolio + "&size=200&page=" + Integer.MAX_VALUE);
		assertThat(far.statusCode()).isEqualTo(200);
		assertThat(json.readTree(far.body()).path("items")).isEmpty();
		assertThat(json.readTree(far.body()).path("total").asInt()).isEqualTo(ids.size());
		HttpResponse<String> farUnfiltered = get(
				"/api/engagements?asOf=" + date + "&size=200&page=" + Integer.MAX_VALUE);
		assertThat(farUnfiltered.statusCode()).isEqualTo(200);
		assertThat(json.readTree(farUnfiltered.body()).path("items")).isEmpty();
		assertThat(json.readTree(farUnfiltered.body()).path("total").asInt()).isGreaterThanOrEqualTo(ids.size());
		// and from the store, as while a new generation's portfolio index loads
		EngagementProjection.Page fromStore = service.getBean(EngagementProjection.class)
			.page(service.getBean(Generations.class).current(), Filters.eq("deliveryLead", lead),
					Sorts.ascending("_id"), Integer.MAX_VALUE, 200);
		assertThat(fromStore.items()).isEmpty();
		assertThat(fromStore.total()).isEqualTo(ids.size());
	}

	@Test
	void whatWeKnewThenDiffersFromWhatWeKnowNowWhenAnIncidentIsBackdated() throws Exception {
		send("known-late", opened("known-late", "kl0"));
		// occurred in February, recorded only in June
		send("known-late",
				CloudEventBuilder.v1(severeAt("known-late", "kl1", 1, "2026-02-01T00:00:00Z"))
					.withTime(Instant.parse("2026-06-01T00:00:00Z").atOffset(ZoneOffset.UTC))
					.build());
		awaitEngagement("known-late", 1);

		String base = "/api/engagements/known-late?asOf=2026-03-15T00:00:00Z";
		JsonNode knownInApril = json.readTree(get(base + "&knownAt=2026-04-01T00:00:00Z").body());
		JsonNode knownInJuly = json.readTree(get(base + "&knownAt=2026-07-01T00:00:00Z").body());
		JsonNode knownNow = json.readTree(get(base).body());

		assertThat(knownInApril.path("trust").decimalValue()).isEqualByComparingTo("50.00");
		assertThat(knownInJuly.path("trust").decimalValue()).isLessThan(knownInApril.path("trust").decimalValue());
		assertThat(knownNow.path("trust").decimalValue())
			.isEqualByComparingTo(knownInJuly.path("trust").decimalValue());
		assertThat(knownInApril.path("knownAt").asText()).isEqualTo("2026-04-01T00:00:00Z");
	}

	@Test
	void everyRoleReadsAndNobodyElse() throws Exception {
		send("readable", opened("readable", "r1"));
		awaitEngagement("readable", 0);
		for (DemoUsers.User user : users.users()) {
			assertThat(get("/api/engagements/readable", user.basicAuthorization()).statusCode()).as(user.role())
				.isEqualTo(200);
		}
		HttpResponse<String> anonymous = get("/api/engagements/readable", null);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(json.readTree(anonymous.body()).path("code").asText()).isEqualTo("unauthenticated");
		assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
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
	void browsersSignInWithASessionThatNeedsTheCsrfTokenWhileApiClientsStayStateless() throws Exception {
		String port = service.getEnvironment().getProperty("local.server.port");
		URI base = URI.create("http://127.0.0.1:" + port);
		DemoUsers.User analyst = users.withRole("ANALYST");

		HttpResponse<String> basic = get("/api/engagements", analyst.basicAuthorization());
		assertThat(basic.statusCode()).isEqualTo(200);
		assertThat(basic.headers().allValues("Set-Cookie")).as("a Basic request gets no session and no token")
			.isEmpty();
		String configured = service.getBean(SecurityProperties.class)
			.users()
			.stream()
			.filter((user) -> user.name().equals(analyst.name()))
			.findFirst()
			.orElseThrow()
			.passwordHash();
		assertThat(service.getBean(UserDetailsService.class).loadUserByUsername(analyst.name()).getPassword())
			.as("the configured hash is kept, not re-encoded at a higher cost on sign-in")
			.isEqualTo("{bcrypt}" + configured);
		HttpResponse<String> script = http.send(HttpRequest.newBuilder(base.resolve("/api/engagements"))
			.header("X-Requested-With", "XMLHttpRequest")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(script.statusCode()).isEqualTo(401);
		assertThat(script.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).doesNotStartWith("Basic"));

		java.net.CookieManager cookies = new java.net.CookieManager(null, java.net.CookiePolicy.ACCEPT_ALL);
		HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).build();
		HttpResponse<String> page = browser.send(
				HttpRequest.newBuilder(base.resolve("/")).header("Accept", "text/html").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(302);
		assertThat(page.headers().firstValue("Location")).hasValueSatisfying((to) -> assertThat(to).endsWith("/login"));
		assertThat(browser
			.send(HttpRequest.newBuilder(base.resolve("/login")).build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(200);
		String token = csrfToken(cookies);
		String form = "username=" + analyst.name() + "&password=" + analyst.password();
		HttpResponse<String> withoutToken = browser.send(HttpRequest.newBuilder(base.resolve("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(withoutToken.statusCode()).isEqualTo(403);
		HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(base.resolve("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form + "&_csrf=" + token))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(signedIn.statusCode()).isEqualTo(302);
		JsonNode me = json.readTree(browser
			.send(HttpRequest.newBuilder(base.resolve("/api/me")).build(), HttpResponse.BodyHandlers.ofString())
			.body());
		assertThat(me.path("name").asText()).isEqualTo(analyst.name());
		assertThat(me.path("mayAnalyse").asBoolean()).isTrue();
		assertThat(me.path("mayRecord").asBoolean()).isFalse();
		assertThat(me.path("maySubscribe").asBoolean()).isFalse();
		// signing in issues a new token
		String rotated = csrfToken(cookies);
		assertThat(rotated).isNotEqualTo(token);

		// riding on the session cookie, a change needs the token
		HttpRequest cancelWithoutToken = HttpRequest.newBuilder(base.resolve("/api/replays/999999")).DELETE().build();
		assertThat(browser.send(cancelWithoutToken, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
		HttpRequest cancelWithToken = HttpRequest.newBuilder(base.resolve("/api/replays/999999"))
			.header("X-XSRF-TOKEN", rotated)
			.DELETE()
			.build();
		assertThat(browser.send(cancelWithToken, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
		// recording is for account teams, however an analyst signs in
		HttpResponse<String> record = browser
			.send(HttpRequest.newBuilder(base.resolve("/dashboard/engagements/readable/incidents"))
				.header("X-XSRF-TOKEN", rotated)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(record.statusCode()).isEqualTo(403);
		assertThat(json.readTree(record.body()).path("code").asText()).isEqualTo("forbidden");

		// found reading the code: the session kept the user's Basic credential, their
		// password, for relaying incidents
		String encoded = java.util.Base64.getEncoder()
			.encodeToString((analyst.name() + ":" + analyst.password()).getBytes(StandardCharsets.UTF_8));
		List<String> kept = new ArrayList<>();
		for (org.apache.catalina.Container context : ((org.springframework.boot.web.embedded.tomcat.TomcatWebServer) ((org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext) service)
			.getWebServer()).getTomcat().getHost().findChildren()) {
			for (org.apache.catalina.Session session : ((org.apache.catalina.Context) context).getManager()
				.findSessions()) {
				java.util.Enumeration<String> names = session.getSession().getAttributeNames();
				while (names.hasMoreElements()) {
					kept.add(String.valueOf(session.getSession().getAttribute(names.nextElement())));
				}
			}
		}
		assertThat(kept).as("what the sessions hold").isNotEmpty();
		assertThat(kept).noneMatch((value) -> value.contains(analyst.password()) || value.contains(encoded));

		// found reading the code: a browser that once answered a Basic challenge sends
		// that credential with a cross-site request, which then skipped the CSRF check
		HttpResponse<String> navigated = http.send(HttpRequest.newBuilder(base.resolve("/api/engagements"))
			.header("Sec-Fetch-Mode", "navigate")
			.header("Sec-Fetch-Site", "none")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(navigated.statusCode()).isEqualTo(401);
		assertThat(navigated.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).doesNotStartWith("Basic"));
		HttpResponse<String> crossSite = http.send(HttpRequest.newBuilder(base.resolve("/api/replays/999999"))
			.header("Authorization", analyst.basicAuthorization())
			.header("Sec-Fetch-Site", "cross-site")
			.DELETE()
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(crossSite.statusCode()).isEqualTo(403);
		assertThat(json.readTree(crossSite.body()).path("code").asText()).isEqualTo("cross-site-request");
		HttpResponse<String> fromScript = http.send(HttpRequest.newBuilder(base.resolve("/api/replays/999999"))
			.header("Authorization", analyst.basicAuthorization())
			.DELETE()
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(fromScript.statusCode()).as("a script with its own credential needs no token").isEqualTo(404);
	}

	private static String csrfToken(java.net.CookieManager cookies) {
		return cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("XSRF-TOKEN"))
			.findFirst()
			.orElseThrow()
			.getValue();
	}

	private static JsonNode awaitEngagement(String id, int lastSequence) {
		return await().atMost(Duration.ofSeconds(60)).until(() -> {
			HttpResponse<String> response = get("/api/engagements/" + id);
			return (response.statusCode() == 200) ? json.readTree(response.body()) : null;
		}, (engagement) -> engagement != null && engagement.path("lastSequence").asInt() == lastSequence);
	}

	private static HttpResponse<String> get(String path) throws Exception {
		return get(path, users.withRole("DELIVERY_LEAD").basicAuthorization());
	}

	private static HttpResponse<String> get(String path, String authorization) throws Exception {
		String port = service.getEnvironment().getProperty("local.server.port");
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String admin() {
		return users.withRole("ADMIN").basicAuthorization();
	}

	private static HttpResponse<String> send(String method, String path) throws Exception {
		String port = service.getEnvironment().getProperty("local.server.port");
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", admin())
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static List<JsonNode> parkedOf(String engagementId) throws Exception {
		List<JsonNode> parked = new ArrayList<>();
		json.readTree(get("/api/parked", admin()).body()).path("records").forEach((record) -> {
			if (record.path("engagementId").asText().equals(engagementId)) {
				parked.add(record);
			}
		});
		return parked;
	}

	private static List<JsonNode> awaitParked(String engagementId, int count) {
		await().atMost(Duration.ofSeconds(60)).until(() -> parkedOf(engagementId).size() >= count);
		try {
			List<JsonNode> parked = parkedOf(engagementId);
			assertThat(parked).hasSize(count);
			return parked;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The metrics as a Prometheus server scrapes them, while a burst of events is
	 * projected and after.
	 */
	@Test
	void theLagIsAboveZeroWhileABurstIsProjectedAndZeroAfter() throws Exception {
		assertThat(scrape("DELIVERY_LEAD").statusCode()).isEqualTo(403);
		RandomHistory history = new RandomHistory(11, 30, 50);
		try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(
				RandomHistory.producerProperties(infra.kafkaBootstrapServers()))) {
			history
				.emit((key, event) -> producer.send(new ProducerRecord<>("trustledger.engagement-events", key, event)));
			producer.flush();
		}
		List<Double> seen = new ArrayList<>();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			seen.add(metric(prometheus(), "trustledger_projection_lag_events"));
			return seen.get(seen.size() - 1) > 0;
		});
		assertThat(metric(prometheus(), "trustledger_projection_lag_seconds")).isGreaterThanOrEqualTo(0);

		await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
			String scraped = prometheus();
			return metric(scraped, "trustledger_projection_lag_events") == 0
					&& metric(scraped, "trustledger_projection_lag_seconds") == 0;
		});
		String scraped = prometheus();
		assertThat(scraped.lines().filter((line) -> line.startsWith("trustledger_projection_partition_lag{")))
			.as("the consumer's lag, per partition")
			.hasSize(6)
			.allSatisfy((line) -> assertThat(line).endsWith(" 0.0"));
		assertThat(metric(scraped, "trustledger_projection_apply_seconds_count")).isGreaterThanOrEqualTo(1500);
		assertThat(scraped).contains("trustledger_projection_parked");
		assertThat(metric(scraped, "trustledger_replay_running")).isZero();
		assertThat(scraped).contains("trustledger_webhook_pending", "trustledger_replay_events_processed",
				"http_server_requests_seconds");
	}

	/**
	 * A poll hands out many records at once, and the consumer's own lag stops counting
	 * them then: with the store away, the first is retried while the rest of its poll
	 * wait, and the lag counts every one of them until they are applied.
	 */
	@Test
	void theLagCountsTheRecordsAPollHandedOutUntilEachIsApplied() throws Exception {
		URI mongo = URI.create(infra.mongoConnectionString());
		// away until the lag has been seen, however long the sampler takes: while the
		// store is away, each of the two gauges that read it holds the sampler for 2 s
		java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);
		Thread away = new Thread(() -> infra.restartMongo(() -> {
			try {
				seen.await(3, java.util.concurrent.TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}), "mongo-away");
		away.start();
		int records = 40;
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(mongo));
			send("held-by-the-store", opened("held-by-the-store", "h0"));
			for (int sequence = 1; sequence < records; sequence++) {
				send("held-by-the-store", broken("held-by-the-store", "h" + sequence, sequence, "VENDOR"));
			}
			// whether a poll holds them or the topic still does, all of them wait
			await().atMost(Duration.ofSeconds(150))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> metric(prometheus(), "trustledger_projection_lag_events") >= records);
		}
		finally {
			// the other tests of the class share the store: it is back before this one
			// ends
			seen.countDown();
			away.join();
			await().atMost(Duration.ofSeconds(30)).until(() -> accepts(mongo));
		}

		awaitEngagement("held-by-the-store", records - 1);
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> metric(prometheus(), "trustledger_projection_lag_events") == 0);
	}

	private static boolean accepts(URI server) {
		try (java.net.Socket socket = new java.net.Socket(server.getHost(), server.getPort())) {
			return true;
		}
		catch (java.io.IOException refused) {
			return false;
		}
	}

	private static HttpResponse<String> scrape(String role) throws Exception {
		String port = service.getEnvironment().getProperty("local.server.port");
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
			.header("Authorization", users.withRole(role).basicAuthorization())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String prometheus() throws Exception {
		HttpResponse<String> scraped = scrape("ADMIN");
		assertThat(scraped.statusCode()).isEqualTo(200);
		return scraped.body();
	}

	/** The sum of a metric's samples whose labels hold every one given; 0 when none. */
	private static double metric(String scraped, String name, String... labels) {
		double sum = 0;
		for (String line : scraped.lines().toList()) {
			if ((line.startsWith(name + "{") || line.startsWith(name + " "))
					&& Arrays.stream(labels).allMatch(line::contains)) {
				String value = line.substring(line.lastIndexOf(' ') + 1);
				if (!value.equals("NaN")) {
					sum += Double.parseDouble(value);
				}
			}
		}
		return sum;
	}

	private static void send(String key, CloudEvent event) throws Exception {
		producer.send(new ProducerRecord<>(TOPIC, key, event)).get();
	}

	private static CloudEvent opened(String engagementId, String eventId) {
		return envelope(engagementId, eventId, 0, "trustledger.engagement.EngagementOpened.v1", """
				{"engagementId":"%s","clientName":"Client %s","accountTeam":"Team","deliveryLead":"Lead",
				 "openedAt":"2026-01-01T00:00:00Z","recordedBy":"alice"}""".formatted(engagementId, engagementId));
	}

	private static CloudEvent broken(String engagementId, String eventId, long sequence, String party) {
		return envelope(engagementId, eventId, sequence, "trustledger.engagement.PromiseBroken.v1", """
				{"engagementId":"%s","incidentId":"%s","party":"%s","severity":3,"description":"missed",
				 "occurredAt":"2026-02-01T00:00:00Z","recordedBy":"alice"}""".formatted(engagementId, eventId, party));
	}

	private static CloudEvent severeAt(String engagementId, String eventId, long sequence, String occurredAt) {
		return envelope(engagementId, eventId, sequence, "trustledger.engagement.PromiseBroken.v1", """
				{"engagementId":"%s","incidentId":"%s","party":"VENDOR","severity":5,"description":"missed badly",
				 "occurredAt":"%s","recordedBy":"alice"}""".formatted(engagementId, eventId, occurredAt));
	}

	private static CloudEvent keptAt(String engagementId, String eventId, long sequence, String occurredAt) {
		return envelope(engagementId, eventId, sequence, "trustledger.engagement.StoodByPartner.v1", """
				{"engagementId":"%s","incidentId":"%s","party":"VENDOR","severity":3,"description":"stood by them",
				 "occurredAt":"%s","recordedBy":"alice"}""".formatted(engagementId, eventId, occurredAt));
	}

	private static CloudEvent brokenAt(String engagementId, String eventId, long sequence, String occurredAt) {
		return envelope(engagementId, eventId, sequence, "trustledger.engagement.PromiseBroken.v1", """
				{"engagementId":"%s","incidentId":"%s","party":"VENDOR","severity":3,"description":"missed",
				 "occurredAt":"%s","recordedBy":"alice"}""".formatted(engagementId, eventId, occurredAt));
	}

	private static CloudEvent envelope(String engagementId, String eventId, long sequence, String type, String data) {
		return PublishedEvents.envelope(engagementId, eventId, sequence, type, data);
	}

}
