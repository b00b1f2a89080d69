package dev.trustledger.system;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The query service dies (SIGKILL, no graceful shutdown, uncommitted offsets) while
 * incidents keep arriving, and comes back: every event is applied, none twice.
 */
class QueryServiceRestartIT {

	private static final int INCIDENTS = 120;

	/** Incidents accepted, and some projected, before the writer goes on. */
	private static final int BEFORE_CRASH = 40;

	/** The query service is killed as the writer comes to this incident... */
	private static final int CRASH_AT = 50;

	/** ...and before the writer sends this one. */
	private static final int CRASH_BY = 60;

	@TempDir
	Path dataDir;

	@Test
	void noEventIsLostOrAppliedTwiceAcrossACrashOfTheQueryService() throws Exception {
		try (SystemUnderTest system = new SystemUnderTest("restart", this.dataDir).start()) {
			assertThat(system.post("/api/engagements", """
					{"engagementId": "vale-energy", "clientName": "Vale Energy", "accountTeam": "Team Harrow",
					 "deliveryLead": "Mara Quist", "openedAt": "2026-01-01T00:00:00Z"}
					""").statusCode()).isEqualTo(201);

			// A third of the incidents first, so that the crash finds events already
			// projected.
			AtomicInteger accepted = new AtomicInteger();
			for (int i = 0; i < BEFORE_CRASH; i++) {
				accept(system, i, accepted);
			}
			await().atMost(Duration.ofSeconds(60))
				.until(() -> system.engagement("vale-energy"),
						(engagement) -> engagement != null && engagement.path("eventCount").asInt() >= 10);

			// Then the rest, while the query service dies: it is killed as the writer
			// reaches CRASH_AT and goes on writing, and the writer does not get past
			// CRASH_BY until then, so that the crash lands mid-stream however fast or
			// slow this machine is, and the rest arrives while the service is down.
			CountDownLatch reached = new CountDownLatch(1);
			CountDownLatch killed = new CountDownLatch(1);
			CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
				for (int i = BEFORE_CRASH; i < INCIDENTS; i++) {
					if (i == CRASH_AT) {
						reached.countDown();
					}
					if (i == CRASH_BY) {
						awaitQuietly(killed);
					}
					accept(system, i, accepted);
				}
			});
			int acceptedAtCrash;
			try {
				assertThat(reached.await(2, TimeUnit.MINUTES)).as("the writer reached incident " + CRASH_AT).isTrue();
				system.queryService().kill();
				acceptedAtCrash = accepted.get();
			}
			finally {
				killed.countDown();
			}
			system.startQueryService();
			system.queryService().awaitHealthy(SystemUnderTest.STARTUP);
			writer.get();

			assertThat(acceptedAtCrash).as("incidents accepted when the query service was killed")
				.isBetween(CRASH_AT, CRASH_BY);
			assertThat(accepted.get()).isEqualTo(INCIDENTS);
			JsonNode projection = await().atMost(Duration.ofSeconds(90))
				.until(() -> system.engagement("vale-energy"),
						(engagement) -> engagement != null && engagement.path("lastSequence").asInt() == INCIDENTS);
			assertThat(projection.path("eventCount").asInt()).isEqualTo(INCIDENTS + 1);
			assertThat(projection.has("sequenceGaps")).isFalse();
			assertThat(projection.path("brokenPromises").path("client").asInt()).isEqualTo(INCIDENTS / 3);
			assertThat(projection.path("brokenPromises").path("vendor").asInt()).isEqualTo(INCIDENTS - INCIDENTS / 3);
			JsonNode events = SystemUnderTest.parse(system.query("/api/engagements/vale-energy/events").body())
				.path("events");
			Set<Integer> sequences = new HashSet<>();
			events.forEach((event) -> sequences.add(event.path("sequence").asInt()));
			assertThat(events).hasSize(INCIDENTS + 1);
			assertThat(sequences).hasSize(INCIDENTS + 1).allMatch((sequence) -> sequence >= 0 && sequence <= INCIDENTS);
		}
	}

	private static void accept(SystemUnderTest system, int i, AtomicInteger accepted) {
		HttpResponse<String> response = system.post("/api/engagements/vale-energy/incidents", """
				{"incidentId": "%s", "type": "PROMISE_BROKEN", "party": "%s", "severity": %d,
				 "occurredAt": "2026-02-01T00:00:00Z"}
				""".formatted(UUID.nameUUIDFromBytes(("vale-" + i).getBytes()), (i % 3 == 0) ? "CLIENT" : "VENDOR",
				1 + i % 5));
		if (response.statusCode() == 201) {
			accepted.incrementAndGet();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			if (!latch.await(2, TimeUnit.MINUTES)) {
				throw new IllegalStateException("the query service was not killed");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
