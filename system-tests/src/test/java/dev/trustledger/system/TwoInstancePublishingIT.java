package dev.trustledger.system;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.infra.ServiceProcess;
import dev.trustledger.infra.StoredEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two command-service instances on one event store, 16 writers on each for 20 s over 40
 * engagements: the instances' transactions commit out of global-index order, so the
 * publisher's token sees gaps that fill in later. Every accepted incident is stored once;
 * every stored event reaches the topic (at least once) and is projected exactly once.
 */
class TwoInstancePublishingIT {

	private static final int ENGAGEMENTS = 40;

	private static final int WRITERS_PER_INSTANCE = 16;

	private static final Duration LOAD = Duration.ofSeconds(Long.getLong("trustledger.test.two-instance-seconds", 20));

	@TempDir
	Path dataDir;

	@Test
	void everyStoredEventIsPublishedAndProjectedExactlyOnce() throws Exception {
		try (SystemUnderTest system = new SystemUnderTest("two-instances", this.dataDir).start()) {
			ServiceProcess second = system.startAnotherCommandService("b");
			for (int i = 0; i < ENGAGEMENTS; i++) {
				assertThat(system
					.post("/api/engagements",
							"""
									{"engagementId": "load-%d", "clientName": "Client %d", "accountTeam": "Team %d",
									 "deliveryLead": "Lead %d", "openedAt": "2026-01-01T00:00:00Z"}""".formatted(i, i,
									i % 4, i % 3))
					.statusCode()).isEqualTo(201);
			}

			Map<String, String> accepted = new ConcurrentHashMap<>();
			long until = System.nanoTime() + LOAD.toNanos();
			ExecutorService pool = Executors.newFixedThreadPool(2 * WRITERS_PER_INSTANCE);
			List<Future<List<String>>> writers = new ArrayList<>();
			for (int w = 0; w < 2 * WRITERS_PER_INSTANCE; w++) {
				ServiceProcess node = (w % 2 == 0) ? system.commandService() : second;
				Random random = new Random(w);
				writers.add(pool.submit(() -> {
					List<String> unexpected = new ArrayList<>();
					while (System.nanoTime() < until) {
						String engagement = "load-" + random.nextInt(ENGAGEMENTS);
						String incident = new UUID(random.nextLong(), random.nextLong()).toString();
						HttpResponse<String> response = system.post(node,
								"/api/engagements/" + engagement + "/incidents",
								"""
										{"incidentId": "%s", "type": "PROMISE_BROKEN", "party": "%s", "severity": %d,
										 "occurredAt": "2026-02-01T00:00:00Z"}""".formatted(incident,
										random.nextBoolean() ? "VENDOR" : "CLIENT", 1 + random.nextInt(5)),
								system.user("ACCOUNT_TEAM"));
						if (response.statusCode() == 201) {
							accepted.put(incident, engagement);
						}
						else if (!response.body().contains("concurrent-change")) {
							unexpected.add(response.statusCode() + " " + response.body());
						}
					}
					return unexpected;
				}));
			}
			for (Future<List<String>> writer : writers) {
				assertThat(writer.get()).isEmpty();
			}
			pool.shutdown();
			assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

			// stored: every accepted incident once, each engagement gap-free
			List<StoredEvents.Row> stored = system.storedEvents().all();
			Map<String, Integer> perEngagement = new HashMap<>();
			Map<String, Integer> incidents = new HashMap<>();
			for (StoredEvents.Row row : stored) {
				assertThat(row.sequence()).as(row.engagementId())
					.isEqualTo(perEngagement.getOrDefault(row.engagementId(), 0).longValue());
				perEngagement.merge(row.engagementId(), 1, Integer::sum);
				String incident = row.payload().replaceAll(".*\"incidentId\":\"([^\"]+)\".*", "$1");
				if (!incident.equals(row.payload())) {
					incidents.merge(incident, 1, Integer::sum);
				}
			}
			assertThat(accepted).isNotEmpty();
			assertThat(incidents.keySet()).containsAll(accepted.keySet());
			assertThat(incidents.values()).allMatch((count) -> count == 1);
			assertThat(stored).hasSize(ENGAGEMENTS + incidents.size());

			// published: every stored event on the topic
			Set<String> storedIds = new HashSet<>();
			stored.forEach((row) -> storedIds.add(row.eventId()));
			Set<String> published = ConcurrentHashMap.newKeySet();
			try (KafkaConsumer<String, byte[]> consumer = system.engagementEvents("two-instance-check")) {
				await().atMost(Duration.ofSeconds(120)).until(() -> {
					for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
						published.add(SystemUnderTest.parse(new String(record.value())).path("id").asText());
					}
					return published.containsAll(storedIds);
				});
			}
			assertThat(published).isEqualTo(storedIds);

			// projected exactly once: each engagement's history holds each sequence once
			for (Map.Entry<String, Integer> engagement : perEngagement.entrySet()) {
				await().atMost(Duration.ofSeconds(120))
					.until(() -> system.engagement(engagement.getKey()),
							(view) -> view != null && view.path("eventCount").asInt() == engagement.getValue());
				JsonNode history = SystemUnderTest
					.parse(system.query("/api/engagements/" + engagement.getKey() + "/events").body());
				List<Long> sequences = new ArrayList<>();
				history.path("events").forEach((event) -> sequences.add(event.path("sequence").asLong()));
				assertThat(sequences).as(engagement.getKey())
					.hasSize(engagement.getValue())
					.doesNotHaveDuplicates()
					.allMatch((sequence) -> sequence >= 0 && sequence < engagement.getValue());
			}
		}
	}

}
