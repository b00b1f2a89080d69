package dev.trustledger.query.replay;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.trustledger.infra.DemoUsers;
import dev.trustledger.infra.EmbeddedInfrastructure;
import dev.trustledger.query.QueryServiceApplication;
import dev.trustledger.query.fixtures.RandomHistory;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.parking.ParkedRecords;
import dev.trustledger.query.projection.CloudEventReader;
import dev.trustledger.query.projection.EngagementEventListener;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.query.projection.ScoreProjection;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.mongo.MongoProperties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rebuild from the topic equals the projections built event by event, document for
 * document: over a seeded random history of 100 events for each of 250 engagements
 * (25,000 events) with backdated events and redelivered records, through the real broker
 * and the MongoDB-wire server. The soak profile ({@code -Psoak}) runs it over 1,000
 * engagements (100,000 events), as the suite did until its time neared its budget:
 * projecting the history live, one event at a time, is most of this test's time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RebuildIT {

	private static final String TOPIC = "trustledger.engagement-events";

	private static final String DATABASE = "trustledger-query";

	private static final ObjectMapper json = new ObjectMapper();

	private static final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	static Path dataDir;

	static EmbeddedInfrastructure infra;

	static ConfigurableApplicationContext service;

	static DemoUsers users;

	static MongoClient mongo;

	static final int ENGAGEMENTS = Integer.getInteger("rebuild.it.engagements", 250);

	static RandomHistory history = new RandomHistory(20261122L, ENGAGEMENTS, 100);

	@BeforeAll
	static void buildIncrementally() throws Exception {
		infra = new EmbeddedInfrastructure(EmbeddedInfrastructure.Settings.onFreePorts(dataDir)).start();
		users = DemoUsers.in(dataDir);
		List<String> args = new ArrayList<>(
				List.of("--server.port=0", "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
						// the alerts the passing of time raises depend on the wall clock
						// as
						// well as the history: off here (DeadlinesTest,
						// EngagementProjectionIT)
						"--trustledger.alerts.sweep-interval=0",
						"--spring.data.mongodb.uri=" + infra.mongoConnectionString() + "/" + DATABASE));
		args.addAll(users.springArgs());
		service = new SpringApplicationBuilder(QueryServiceApplication.class).run(args.toArray(String[]::new));
		mongo = MongoClients.create(infra.mongoConnectionString());
		Properties props = RandomHistory.producerProperties(infra.kafkaBootstrapServers());
		props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
		try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(props)) {
			history.emit((key, event) -> producer.send(new ProducerRecord<>(TOPIC, key, event)));
		}
		assertThat(history.distinct()).isGreaterThanOrEqualTo(100L * ENGAGEMENTS);
		// about one record in fifty is sent twice, and some events are backdated
		assertThat(history.records() - history.distinct()).as("redelivered records")
			.isGreaterThan(history.distinct() / 100);
		assertThat(history.backdated()).as("backdated events").isGreaterThan(history.distinct() / 40);
		try {
			await().atMost(Duration.ofMinutes(12))
				.pollInterval(Duration.ofSeconds(2))
				.until(RebuildIT::appliedLive, (applied) -> applied == history.distinct());
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(ex.getMessage() + "\n" + whyShort(), ex);
		}
	}

	/**
	 * What a stalled projection left behind: where the listener's threads and the
	 * MongoDB-wire server's are (taken first, before the questions below ask the store),
	 * the engagements short of their events, and what was parked. Each question to the
	 * store is asked by a client of its own that waits at most 10 s for an answer, so
	 * that a store that no longer answers fails the test with the stacks rather than
	 * holding it.
	 */
	private static String whyShort() {
		StringBuilder why = new StringBuilder();
		Thread.getAllStackTraces().forEach((thread, stack) -> {
			if (thread.getName().startsWith(EngagementEventListener.ID)
					|| thread.getName().startsWith("mongo-server")) {
				why.append("thread ").append(thread.getName()).append(' ').append(thread.getState()).append('\n');
				for (StackTraceElement frame : stack) {
					why.append("\tat ").append(frame).append('\n');
				}
			}
		});
		MongoClientSettings settings = MongoClientSettings.builder()
			.applyConnectionString(new ConnectionString(infra.mongoConnectionString()))
			.applyToSocketSettings((socket) -> socket.readTimeout(10, TimeUnit.SECONDS))
			.applyToClusterSettings((cluster) -> cluster.serverSelectionTimeout(10, TimeUnit.SECONDS))
			.build();
		try (MongoClient bounded = MongoClients.create(settings)) {
			MongoDatabase database = bounded.getDatabase(DATABASE);
			MongoCollection<Document> engagements = database.getCollection("engagements");
			engagements.find(Filters.lt("eventCount", 100))
				.projection(new Document("eventCount", 1).append("lastSequence", 1).append("sequenceGaps", 1))
				.forEach((engagement) -> why.append("short: ").append(engagement.toJson()).append('\n'));
			why.append("engagements projected: ")
				.append(engagements.countDocuments())
				.append(" of ")
				.append(ENGAGEMENTS)
				.append('\n');
			database.getCollection("parked_records")
				.find()
				.projection(new Document("value", 0).append("headers", 0))
				.limit(20)
				.forEach((parked) -> why.append("parked: ").append(parked.toJson()).append('\n'));
		}
		catch (RuntimeException ex) {
			why.append("the store did not answer: ").append(ex).append('\n');
		}
		return why.toString();
	}

	@AfterAll
	static void stop() {
		mongo.close();
		service.close();
		infra.close();
	}

	@Test
	@Order(0)
	void thePortfolioAsOfAnyDateFromTheTimelinesCheckpointsEqualsTheFoldOfTheHistory() {
		Generation generation = service.getBean(Generations.class).current();
		ScoreProjection scores = service.getBean(ScoreProjection.class);
		List<Document> engagements = generation.collection("engagements")
			.find()
			.sort(Sorts.ascending("_id"))
			.limit(250)
			.into(new ArrayList<>());
		assertThat(generation.collection(ScoreProjection.CHECKPOINTS).countDocuments())
			.as("a checkpoint document for each month of history")
			.isEqualTo(generation.collection(ScoreProjection.HISTORY).countDocuments());
		assertThat(generation.collection(ScoreProjection.TIMELINE).countDocuments())
			.as("timeline buckets of several months")
			.isLessThan(generation.collection(ScoreProjection.HISTORY).countDocuments() / 2);
		// one engagement as a generation built before checkpoints were kept: its history
		// is folded
		String older = engagements.get(3).getString("_id");
		List<Document> olderBuckets = generation.collection(ScoreProjection.CHECKPOINTS)
			.find(Filters.regex("_id", "#" + java.util.regex.Pattern.quote(older) + "$"))
			.into(new ArrayList<>());
		assertThat(olderBuckets).isNotEmpty();
		generation.collection(ScoreProjection.CHECKPOINTS)
			.deleteMany(Filters.regex("_id", "#" + java.util.regex.Pattern.quote(older) + "$"));
		List<ScoreProjection.Subject> subjects = engagements.stream()
			.map((engagement) -> ScoreProjection.Subject.of(engagement.getString("_id"),
					engagement.getList("historyMonths", String.class)))
			.toList();
		Instant first = engagements.stream()
			.map((engagement) -> engagement.getDate("openedAt").toInstant())
			.min(Instant::compareTo)
			.orElseThrow();
		Instant last = engagements.stream()
			.map((engagement) -> engagement.getDate("lastEventAt").toInstant())
			.max(Instant::compareTo)
			.orElseThrow();
		java.util.Random random = new java.util.Random(5L);
		List<Instant> dates = new ArrayList<>(
				List.of(first.minusSeconds(1), first, last, last.plus(Duration.ofDays(90))));
		for (int i = 0; i < 6; i++) {
			dates.add(first.plusSeconds((long) (random.nextDouble() * Duration.between(first, last).getSeconds())));
		}
		// the first days of March: the date 30 days before is two months back, whose
		// checkpoints are in another document
		for (int year = first.atOffset(java.time.ZoneOffset.UTC).getYear(); year <= last
			.atOffset(java.time.ZoneOffset.UTC)
			.getYear(); year++) {
			Instant march = java.time.LocalDate.of(year, 3, 1).atTime(7, 30).toInstant(java.time.ZoneOffset.UTC);
			if (march.isAfter(first) && march.isBefore(last)) {
				dates.add(march);
			}
		}
		int withScores = 0;
		for (Instant asOf : dates) {
			Map<String, ScoreProjection.Standing> fromCheckpoints = scores.standings(generation, subjects, asOf);
			assertThat(fromCheckpoints).hasSize(engagements.size());
			for (Document engagement : engagements) {
				String id = engagement.getString("_id");
				ScoreProjection.Standing folded = scores.standing(generation, id,
						engagement.getList("historyMonths", String.class), asOf);
				assertThat(fromCheckpoints.get(id)).as("%s as of %s", id, asOf)
					.usingRecursiveComparison()
					.isEqualTo(folded);
				assertThat(
						scores.scoresAt(generation, id, engagement.getList("historyMonths", String.class), asOf, null))
					.usingRecursiveComparison()
					.isEqualTo(folded.scores());
				withScores += (folded.lastEventAt() != null) ? 1 : 0;
			}
		}
		assertThat(withScores).as("dates within the history").isGreaterThan(4 * engagements.size());
		// as the projection wrote them, for the rebuild to be compared with
		generation.collection(ScoreProjection.CHECKPOINTS).insertMany(olderBuckets);
	}

	@Test
	@Order(1)
	void aSecondReplayIsAConflictAndACancelledOneLeavesNothingBehind() throws Exception {
		HttpResponse<String> started = post("/api/replays");
		assertThat(started.statusCode()).isEqualTo(202);
		String id = json.readTree(started.body()).path("id").asText();
		assertThat(started.headers().firstValue("Location")).hasValue("/api/replays/" + id);

		HttpResponse<String> second = post("/api/replays");
		assertThat(second.statusCode()).isEqualTo(409);
		assertThat(json.readTree(second.body()).path("code").asText()).isEqualTo("replay-running");
		// the current generation keeps serving meanwhile
		assertThat(get("/api/engagements/eng-00001").statusCode()).isEqualTo(200);
		// found reading the code: a starting instance dropped another instance's running
		// replay, and the generation being built could be dropped through the API
		newInstance().stop();
		assertThat(generationState(Integer.parseInt(id))).isEqualTo("BUILDING");
		HttpResponse<String> drop = send("DELETE", "/api/generations/" + id);
		assertThat(drop.statusCode()).isEqualTo(409);
		assertThat(json.readTree(drop.body()).path("code").asText()).isEqualTo("generation-building");
		assertThat(generationState(Integer.parseInt(id))).isEqualTo("BUILDING");
		// found by review: a retry of parked records while a rebuild runs would apply
		// them
		// to the generation about to be replaced
		HttpResponse<String> retry = send("POST", "/api/parked/retry", "ADMIN");
		assertThat(retry.statusCode()).isEqualTo(409);
		assertThat(json.readTree(retry.body()).path("code").asText()).isEqualTo("replay-running");

		assertThat(send("DELETE", "/api/replays/" + id).statusCode()).isEqualTo(202);
		JsonNode cancelled = awaitFinished(id);
		assertThat(cancelled.path("phase").asText()).isEqualTo("CANCELLED");
		assertThat(database().listCollectionNames().into(new ArrayList<>()))
			.noneMatch((name) -> name.endsWith("_g" + id));
		assertThat(send("DELETE", "/api/replays/" + id).statusCode()).isEqualTo(409);
		assertThat(json.readTree(get("/api/generations").body()).path("current").asInt()).isZero();
	}

	@Test
	@Order(2)
	void aRebuildEqualsTheIncrementalProjectionsDocumentForDocumentAndBecomesCurrent() throws Exception {
		HttpResponse<String> started = post("/api/replays");
		assertThat(started.statusCode()).isEqualTo(202);
		String id = json.readTree(started.body()).path("id").asText();
		JsonNode done = awaitFinished(id);
		assertThat(done.path("phase").asText()).as(done.toString()).isEqualTo("DONE");
		assertThat(done.path("eventsProcessed").asLong()).isEqualTo(history.records());
		assertThat(done.path("eventsTotal").asLong()).isEqualTo(history.records());
		assertThat(done.path("eventsPerSecond").asLong()).isPositive();
		assertThat(json.readTree(get("/api/generations").body()).path("current").asInt())
			.isEqualTo(Integer.parseInt(id));

		for (String collection : Generation.COLLECTIONS) {
			Map<Object, Document> incremental = documents(collection);
			Map<Object, Document> rebuilt = documents(collection + "_g" + id);
			assertThat(rebuilt.keySet()).as(collection).isEqualTo(incremental.keySet());
			List<Object> different = incremental.keySet()
				.stream()
				.filter((key) -> !incremental.get(key).equals(rebuilt.get(key)))
				.toList();
			assertThat(different).as(() -> collection + ": first difference "
					+ (different.isEmpty() ? "" : incremental.get(different.get(0)).toJson() + "\nrebuilt: "
							+ rebuilt.get(different.get(0)).toJson()))
				.isEmpty();
		}
		assertThat(documents("engagements")).hasSize(ENGAGEMENTS);
		assertThat(documents("alerts")).as("the history raises alerts").isNotEmpty();
		assertThat(documents("engagement_alerts")).as("each engagement's alerts on one document").isNotEmpty();
	}

	@Test
	@Order(3)
	void liveEventsGoToTheNewGenerationAfterTheSwitch() throws Exception {
		JsonNode before = json.readTree(get("/api/engagements/eng-00007").body());
		long next = before.path("lastSequence").asLong() + 1;
		Properties props = RandomHistory.producerProperties(infra.kafkaBootstrapServers());
		try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(props)) {
			producer.send(new ProducerRecord<>(TOPIC, "eng-00007",
					RandomHistory.envelope("eng-00007-after", next,
							new dev.trustledger.events.responsibility.ResponsibilityTaken("eng-00007", "after-switch",
									dev.trustledger.events.Party.VENDOR, null, 3, "ours",
									RandomHistory.START.plus(Duration.ofDays(400)), "generator"),
							RandomHistory.START.plus(Duration.ofDays(400)))))
				.get();
		}
		JsonNode after = await().atMost(Duration.ofSeconds(60))
			.until(() -> json.readTree(get("/api/engagements/eng-00007").body()),
					(engagement) -> engagement.path("lastSequence").asLong() == next);
		assertThat(after.path("eventCount").asLong()).isEqualTo(before.path("eventCount").asLong() + 1);
	}

	@Test
	@Order(4)
	void aReplayWhoseLeaseExpiredIsCleanedUpAndOneWhoseLeaseRunsIsLeftAlone() throws Exception {
		String model = json.readTree(get("/api/generations").body()).path("generations").get(0).path("model").asText();
		MongoCollection<Document> replays = database().getCollection(Replays.COLLECTION);
		Date past = Date.from(Instant.now().minusSeconds(120));
		abandonedReplay(replays, 99, model, past);
		newInstance().stop();
		assertThat(replays.find(Filters.eq("_id", "99")).first().getString("phase")).isEqualTo("FAILED");
		assertThat(generationState(99)).isEqualTo("DROPPED");
		assertThat(database().listCollectionNames().into(new ArrayList<>())).doesNotContain("engagements_g99");
		assertThat(replays.find(Filters.eq("_id", "running")).first()).isNull();

		// another instance's replay, its lease running: untouched, and nothing else
		// starts
		Date future = Date.from(Instant.now().plusSeconds(120));
		abandonedReplay(replays, 98, model, future);
		newInstance().stop();
		assertThat(replays.find(Filters.eq("_id", "98")).first().getString("phase")).isEqualTo("REBUILDING");
		assertThat(generationState(98)).isEqualTo("BUILDING");
		assertThat(post("/api/replays").statusCode()).isEqualTo(409);
		assertThat(send("DELETE", "/api/generations/98").statusCode()).isEqualTo(409);
		// once its lease has expired, a new replay takes the lock over and cleans up
		replays.updateOne(Filters.eq("_id", "running"), Updates.set("leaseUntil", past));
		HttpResponse<String> started = post("/api/replays");
		assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
		assertThat(replays.find(Filters.eq("_id", "98")).first().getString("phase")).isEqualTo("FAILED");
		assertThat(generationState(98)).isEqualTo("DROPPED");
		String taken = json.readTree(started.body()).path("id").asText();
		JsonNode done = awaitFinished(taken);
		assertThat(done.path("phase").asText()).as(done.toString()).isEqualTo("DONE");

		// found by review: a replay abandoned after its switch named the current
		// generation,
		// and a starting instance that had not seen the switch dropped it
		int current = json.readTree(get("/api/generations").body()).path("current").asInt();
		assertThat(current).isEqualTo(Integer.parseInt(taken));
		replays.insertOne(new Document("_id", "running").append("since", past)
			.append("owner", "another-instance")
			.append("leaseUntil", past)
			.append("replay", String.valueOf(current)));
		replays.updateOne(Filters.eq("_id", String.valueOf(current)), Updates.set("phase", "SWITCHING"));
		newInstance().stop();
		assertThat(generationState(current)).isEqualTo("CURRENT");
		assertThat(database().listCollectionNames().into(new ArrayList<>())).contains("engagements_g" + current);
		assertThat(send("DELETE", "/api/generations/" + current).statusCode()).isEqualTo(409);
	}

	/**
	 * What a replay of another instance leaves in the database: lock, replay, generation.
	 */
	private static void abandonedReplay(MongoCollection<Document> replays, int number, String model, Date leaseUntil) {
		replays.insertOne(new Document("_id", "running").append("since", leaseUntil)
			.append("owner", "another-instance")
			.append("leaseUntil", leaseUntil)
			.append("replay", String.valueOf(number)));
		replays.insertOne(new Document("_id", String.valueOf(number)).append("generation", number)
			.append("kind", "REBUILD")
			.append("phase", "REBUILDING"));
		database().getCollection("generations")
			.insertOne(new Document("_id", "g" + number).append("number", number)
				.append("model", model)
				.append("purpose", "rebuild")
				.append("state", "BUILDING"));
		database().getCollection("engagements_g" + number).insertOne(new Document("_id", "partial"));
	}

	private static String generationState(int number) throws Exception {
		for (JsonNode generation : json.readTree(get("/api/generations").body()).path("generations")) {
			if (generation.path("number").asInt() == number) {
				return generation.path("state").asText();
			}
		}
		return null;
	}

	/** Another instance of the query service starting on the same database. */
	@SuppressWarnings("unchecked")
	private static Replays newInstance() {
		return new Replays(service.getBean(Generations.class), service.getBean(EngagementProjection.class),
				service.getBean(CloudEventReader.class), service.getBean(ParkedRecords.class),
				service.getBean(ConsumerFactory.class), service.getBean(KafkaListenerEndpointRegistry.class),
				service.getBean(MongoClient.class), service.getBean(MongoProperties.class),
				service.getBean(Clock.class), TOPIC, Duration.ofSeconds(60),
				service.getBean(dev.trustledger.query.alert.TimeAlerts.class));
	}

	private static long appliedLive() {
		long applied = 0;
		for (Document engagement : database().getCollection("engagements")
			.find()
			.projection(new Document("eventCount", 1))
			.batchSize(500)) {
			applied += engagement.getInteger("eventCount");
		}
		return applied;
	}

	private static Map<Object, Document> documents(String collection) {
		Map<Object, Document> documents = new HashMap<>();
		database().getCollection(collection)
			.find()
			.batchSize(200)
			.forEach((document) -> documents.put(document.get("_id"), document));
		return documents;
	}

	private static MongoDatabase database() {
		return mongo.getDatabase(DATABASE);
	}

	private static JsonNode awaitFinished(String id) {
		return await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
			HttpResponse<String> response = get("/api/replays/" + id);
			assertThat(response.statusCode()).isEqualTo(200);
			return json.readTree(response.body());
		}, (replay) -> List.of("DONE", "CANCELLED", "FAILED").contains(replay.path("phase").asText()));
	}

	private static HttpResponse<String> get(String path) throws Exception {
		return send("GET", path);
	}

	private static HttpResponse<String> post(String path) throws Exception {
		return send("POST", path);
	}

	private static HttpResponse<String> send(String method, String path) throws Exception {
		return send(method, path, "ANALYST");
	}

	private static HttpResponse<String> send(String method, String path, String role) throws Exception {
		String port = service.getEnvironment().getProperty("local.server.port");
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", users.withRole(role).basicAuthorization())
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
