package dev.trustledger.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.infra.StoredEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults injected into the running system while writers record incidents over HTTP: the
 * broker restarted, the command service killed with SIGKILL, the MongoDB-wire server
 * restarted, PostgreSQL restarted. After each: every accepted incident is stored once,
 * each engagement's events gap-free; every stored event reaches the projection, and none
 * is applied twice. A write that got no answer, or a 5xx while a store was away, is sent
 * again (every command is idempotent) until it is answered. The counts go to the test's
 * output. (The query service killed mid-batch is QueryServiceRestartIT.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

	private static final int WRITERS = 4;

	private static final int ENGAGEMENTS = 4;

	@TempDir
	static Path dataDir;

	static SystemUnderTest system;

	@BeforeAll
	static void start() {
		system = new SystemUnderTest("faults", dataDir).start();
	}

	@AfterAll
	static void stop() {
		if (system != null) {
			system.close();
		}
	}

	@Test
	@Order(1)
	void theBrokerRestartedDuringASteadyWriteLoad() throws Exception {
		underLoad("broker", () -> system.infra().restartKafka(Duration.ofSeconds(5)));
	}

	@Test
	@Order(2)
	void theCommandServiceKilledDuringABurst() throws Exception {
		underLoad("killed", () -> {
			system.commandService().kill();
			system.startCommandService();
		});
	}

	@Test
	@Order(3)
	void theMongoWireServerRestarted() throws Exception {
		underLoad("mongo", () -> system.infra().restartMongo(Duration.ofSeconds(5)));
	}

	@Test
	@Order(4)
	void postgresRestarted() throws Exception {
		underLoad("postgres", () -> system.infra().restartPostgres(Duration.ofSeconds(3)));
	}

	/**
	 * Writers record for a few seconds, the fault strikes, they go on for a few seconds
	 * more; then every write is answered and the whole pipeline checked.
	 */
	private static void underLoad(String fault, Runnable inject) throws Exception {
		List<String> engagements = new ArrayList<>();
		for (int e = 0; e < ENGAGEMENTS; e++) {
			String id = fault + "-" + e;
			engagements.add(id);
			assertThat(
					system
						.post("/api/engagements",
								"""
										{"engagementId": "%s", "clientName": "Fault %s", "accountTeam": "Team", "deliveryLead": "Lead",
										 "openedAt": "2026-01-01T00:00:00Z"}"""
									.formatted(id, id))
						.statusCode())
				.isEqualTo(201);
		}
		Map<UUID, String> sent = new ConcurrentHashMap<>();
		Set<UUID> unanswered = ConcurrentHashMap.newKeySet();
		AtomicInteger accepted = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		AtomicBoolean writing = new AtomicBoolean(true);
		ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
		List<Future<?>> done = new ArrayList<>();
		for (int w = 0; w < WRITERS; w++) {
			int writer = w;
			done.add(writers.submit(() -> {
				int n = 0;
				while (writing.get()) {
					UUID id = UUID.nameUUIDFromBytes((fault + "-" + writer + "-" + n++).getBytes());
					String engagement = engagements.get(n % ENGAGEMENTS);
					sent.put(id, engagement);
					// a write that fails is sent again, after a pause, as a client would
					boolean answered = record(engagement, id);
					while (!answered && writing.get()) {
						failed.incrementAndGet();
						pause();
						answered = record(engagement, id);
					}
					if (answered) {
						accepted.incrementAndGet();
					}
					else {
						unanswered.add(id);
					}
				}
			}));
		}
		Thread.sleep(4000);
		long faultAt = System.nanoTime();
		inject.run();
		long recoveredAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - faultAt);
		Thread.sleep(4000);
		writing.set(false);
		for (Future<?> writer : done) {
			writer.get();
		}
		writers.shutdown();
		// every write answered in the end: sent again until accepted
		int resent = 0;
		for (UUID id : unanswered) {
			resent++;
			String engagement = sent.get(id);
			await().atMost(Duration.ofSeconds(120))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> record(engagement, id));
		}

		StoredEvents store = system.storedEvents();
		int storedIncidents = 0;
		for (String engagement : engagements) {
			List<StoredEvents.Row> events = store.of(engagement);
			for (int i = 0; i < events.size(); i++) {
				assertThat(events.get(i).sequence()).as("%s gap-free", engagement).isEqualTo(i);
			}
			long expected = sent.values().stream().filter(engagement::equals).count();
			assertThat(events).as("%s: every accepted incident stored once", engagement).hasSize((int) expected + 1);
			storedIncidents += events.size() - 1;
		}
		for (String engagement : engagements) {
			long last = store.count(engagement) - 1;
			JsonNode projected = await().atMost(Duration.ofSeconds(180))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> system.engagement(engagement),
						(engagement1) -> engagement1 != null && engagement1.path("lastSequence").asLong() == last);
			assertThat(projected.path("eventCount").asLong()).as("%s applied once each", engagement)
				.isEqualTo(last + 1);
			assertThat(projected.has("sequenceGaps")).as(engagement).isFalse();
		}
		System.out.printf(
				"Fault %-8s: %,d incidents sent, %,d accepted while writing (%,d failed attempts sent again), "
						+ "%,d answered only after the load; %,d stored, all projected once; fault over after %,d ms%n",
				fault, sent.size(), accepted.get(), failed.get(), resent, storedIncidents, recoveredAfter);
	}

	private static void pause() {
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** One incident; {@code false} when it got no answer or a 5xx. */
	private static boolean record(String engagement, UUID id) {
		try {
			int status = system.post("/api/engagements/" + engagement + "/incidents", """
					{"incidentId": "%s", "type": "PROMISE_BROKEN", "party": "VENDOR", "severity": 2,
					 "occurredAt": "2026-02-01T00:00:00Z"}""".formatted(id)).statusCode();
			assertThat(status < 400 || status >= 500).as("no fault turns a valid incident into a 4xx: %d", status)
				.isTrue();
			return status == 201;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
