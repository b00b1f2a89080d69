package dev.trustledger.system;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.trustledger.infra.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writers on one engagement spread over two command-service instances sharing one event
 * store: the instances' in-JVM locks do not see each other, so conflicts are real and are
 * resolved by optimistic locking and retry on the server. A command whose retries all
 * lose is answered {@code concurrent-change} and sent again, as a client would; that is
 * rare. Every incident is stored once, in a gap-free sequence.
 */
class ConcurrentWritersIT {

	private static final int WRITERS = 100;

	/** How often a writer sends its incident while the other node keeps winning. */
	private static final int MAX_SENDS = 20;

	@TempDir
	Path dataDir;

	@Test
	void writersOnTwoInstancesLoseNothingAndLeaveNoGap() throws Exception {
		try (SystemUnderTest system = new SystemUnderTest("concurrent", this.dataDir).start()) {
			ServiceProcess second = system.startAnotherCommandService("b");
			assertThat(system.post("/api/engagements", """
					{"engagementId": "two-nodes", "clientName": "Orion Logistics", "accountTeam": "Team Harrow",
					 "deliveryLead": "Mara Quist", "openedAt": "2026-01-01T00:00:00Z"}""").statusCode()).isEqualTo(201);

			ExecutorService pool = Executors.newFixedThreadPool(20);
			List<Callable<HttpResponse<String>>> writers = new ArrayList<>();
			AtomicInteger resent = new AtomicInteger();
			for (int i = 0; i < WRITERS; i++) {
				ServiceProcess node = (i % 2 == 0) ? system.commandService() : second;
				String body = """
						{"incidentId": "%s", "type": "PROMISE_BROKEN", "party": "VENDOR", "severity": 2,
						 "occurredAt": "2026-02-01T00:00:00Z"}"""
					.formatted(UUID.nameUUIDFromBytes(("two-nodes-" + i).getBytes(StandardCharsets.UTF_8)));
				writers.add(() -> recordAsAClientWould(system, node, body, resent));
			}
			Set<Long> answered = new HashSet<>();
			for (Future<HttpResponse<String>> result : pool.invokeAll(writers)) {
				HttpResponse<String> response = result.get();
				assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
				answered.add(SystemUnderTest.parse(response.body()).path("sequence").asLong());
			}
			pool.shutdown();

			assertThat(answered).hasSize(WRITERS);
			// the server settles conflicts itself (each node retries a command on the
			// reloaded engagement): a client rarely has to send one again
			assertThat(resent.get()).as("commands sent again after concurrent-change").isLessThan(WRITERS / 4);
			List<Long> stored = new ArrayList<>();
			Set<String> incidents = new HashSet<>();
			system.storedEvents().of("two-nodes").forEach((event) -> {
				stored.add(event.sequence());
				incidents.add(event.payload().replaceAll(".*\"incidentId\":\"([^\"]+)\".*", "$1"));
			});
			assertThat(stored).hasSize(WRITERS + 1);
			for (int i = 0; i <= WRITERS; i++) {
				assertThat(stored.get(i)).isEqualTo(i);
			}
			assertThat(incidents).hasSize(WRITERS + 1);
		}
	}

	/**
	 * Sends the incident, and sends it again while the answer is
	 * {@code concurrent-change}: a command that lost its retries to the other node's
	 * writers stored nothing and may be sent again (the incident's id keeps it from being
	 * recorded twice). How often one node outruns the other depends on how each is
	 * scheduled, not on what is tested here.
	 */
	private static HttpResponse<String> recordAsAClientWould(SystemUnderTest system, ServiceProcess node, String body,
			AtomicInteger resent) {
		HttpResponse<String> response = null;
		for (int attempt = 0; attempt < MAX_SENDS; attempt++) {
			if (attempt > 0) {
				resent.incrementAndGet();
			}
			response = system.post(node, "/api/engagements/two-nodes/incidents", body, system.user("ACCOUNT_TEAM"));
			if (response.statusCode() != 409 || !response.body().contains("concurrent-change")) {
				return response;
			}
		}
		return response;
	}

}
