package dev.trustledger.system;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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

	@TempDir
	Path dataDir;

	@Test
	void noEventIsLostOrAppliedTwiceAcrossACrashOfTheQueryService() throws Exception {
		try (SystemUnderTest system = new SystemUnderTest("restart", this.dataDir).start()) {
			assertThat(system.post("/api/engagements", """
					{"engagementId": "vale-energy", "clientName": "Vale Energy", "accountTeam": "Team Harrow",
					 "deliveryLead": "Mara Quist", "openedAt": "2026-01-01T00:00:00Z"}
					""").statusCode()).isEqualTo(201);

			AtomicInteger accepted = new AtomicInteger();
			CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
				for (int i = 0; i < INCIDENTS; i++) {
					HttpResponse<String> response = system.post("/api/engagements/vale-energy/incidents", """
							{"incidentId": "%s", "type": "PROMISE_BROKEN", "party": "%s", "severity": %d,
							 "occurredAt": "2026-02-01T00:00:00Z"}
							""".formatted(UUID.nameUUIDFromBytes(("vale-" + i).getBytes()),
							(i % 3 == 0) ? "CLIENT" : "VENDOR", 1 + i % 5));
					if (response.statusCode() == 201) {
						accepted.incrementAndGet();
					}
				}
			});

			// Mid-stream: some events projected, more still coming.
			await().atMost(Duration.ofSeconds(60))
				.until(() -> system.engagement("vale-energy"),
						(engagement) -> engagement != null && engagement.path("eventCount").asInt() >= 10);
			system.queryService().kill();
			int projectedBeforeCrash = accepted.get();
			system.startQueryService();
			system.queryService().awaitHealthy(SystemUnderTest.STARTUP);
			writer.get();

			assertThat(accepted.get()).isEqualTo(INCIDENTS);
			assertThat(projectedBeforeCrash).isLessThan(INCIDENTS);
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

}
