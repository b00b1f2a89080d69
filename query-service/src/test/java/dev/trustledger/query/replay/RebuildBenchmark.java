package dev.trustledger.query.replay;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.infra.DemoUsers;
import dev.trustledger.infra.EmbeddedInfrastructure;
import dev.trustledger.query.QueryServiceApplication;
import dev.trustledger.query.fixtures.RandomHistory;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * Rebuilds a seeded random history of 1,000,000 events over 10,000 engagements from the
 * real broker into the MongoDB-wire server (H2 storage), through {@code POST
 * /api/replays}, and reports events per second and the peak heap of the whole JVM during
 * the rebuild (broker and MongoDB-wire server included, so an upper bound). The live
 * listener is off, so the replay has the machine to itself.
 *
 * <p>
 * {@code ./mvnw -pl query-service -am verify -DskipTests -Pbenchmark}; the figures go to
 * {@code target/benchmarks/rebuild.txt}. Events and engagements can be changed with
 * {@code -Dbenchmark.events} and {@code -Dbenchmark.engagements}.
 */
public final class RebuildBenchmark {

	private RebuildBenchmark() {
	}

	/** The most heap in use at any sample since it was last asked. */
	private static final class HeapSampler extends Thread {

		private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();

		HeapSampler() {
			super("heap-sampler");
			setDaemon(true);
		}

		@Override
		public void run() {
			java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
			while (!isInterrupted()) {
				this.peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		long takePeak() {
			return this.peak.getAndSet(0);
		}

	}

	public static void main(String[] args) throws Exception {
		int events = Integer.getInteger("benchmark.events", 1_000_000);
		int engagements = Integer.getInteger("benchmark.engagements", 10_000);
		Path dataDir = Files.createTempDirectory("trustledger-rebuild-benchmark");
		List<String> lines = new ArrayList<>();
		try {
			try (EmbeddedInfrastructure infra = new EmbeddedInfrastructure(
					EmbeddedInfrastructure.Settings.onFreePorts(dataDir))
				.start()) {
				DemoUsers users = DemoUsers.in(dataDir);
				RandomHistory history = new RandomHistory(1L, engagements, events / engagements);
				try (Admin admin = Admin.create(
						java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()))) {
					// as the services declare it: six partitions, kept forever
					admin.createTopics(List.of(new NewTopic("trustledger.engagement-events", 6, (short) 1)
						.configs(java.util.Map.of("retention.ms", "-1", "retention.bytes", "-1")))).all().get();
				}
				long produceStart = System.nanoTime();
				Properties props = RandomHistory.producerProperties(infra.kafkaBootstrapServers());
				props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
				props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
				try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(props)) {
					history.emit((key, event) -> producer
						.send(new ProducerRecord<>("trustledger.engagement-events", key, event)));
				}
				double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
				List<String> serviceArgs = new ArrayList<>(
						List.of("--server.port=0", "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
								"--spring.data.mongodb.uri=" + infra.mongoConnectionString() + "/trustledger-query",
								"--spring.kafka.listener.auto-startup=false", "--logging.level.dev.trustledger=INFO"));
				serviceArgs.addAll(users.springArgs());
				try (ConfigurableApplicationContext service = new SpringApplicationBuilder(
						QueryServiceApplication.class)
					.run(serviceArgs.toArray(String[]::new))) {
					String base = "http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port");
					String authorization = users.withRole("ANALYST").basicAuthorization();
					HttpClient http = HttpClient.newHttpClient();
					ObjectMapper json = new ObjectMapper();
					System.gc();
					HeapSampler sampler = new HeapSampler();
					sampler.start();
					long start = System.nanoTime();
					JsonNode started = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/replays"))
						.header("Authorization", authorization)
						.POST(HttpRequest.BodyPublishers.noBody())
						.build(), HttpResponse.BodyHandlers.ofString()).body());
					JsonNode replay;
					do {
						Thread.sleep(250);
						replay = json.readTree(http.send(
								HttpRequest.newBuilder(URI.create(base + "/api/replays/" + started.path("id").asText()))
									.header("Authorization", authorization)
									.build(),
								HttpResponse.BodyHandlers.ofString())
							.body());
					}
					while (!List.of("DONE", "FAILED", "CANCELLED").contains(replay.path("phase").asText()));
					double seconds = (System.nanoTime() - start) / 1e9;
					long peak = sampler.takePeak();
					lines.add(
							"Rebuild of %,d records (%,d distinct events, %,d backdated, %,d redelivered) over %,d engagements"
								.formatted(history.records(), history.distinct(), history.backdated(),
										history.records() - history.distinct(), engagements));
					lines.add("machine: %d cores, max heap %,d MB".formatted(Runtime.getRuntime().availableProcessors(),
							Runtime.getRuntime().maxMemory() / (1024 * 1024)));
					lines.add("produced to Kafka in %.1f s".formatted(produceSeconds));
					lines.add("replay phase: %s".formatted(replay.path("phase").asText()));
					lines.add("rebuild wall time: %.1f s, start to switch".formatted(seconds));
					lines.add("events/s: %,.0f (the service's own figure: %,d)".formatted(history.records() / seconds,
							replay.path("eventsPerSecond").asLong()));
					lines.add("peak heap used during the rebuild (sampled every 50 ms, whole JVM): %,d MB"
						.formatted(peak / (1024 * 1024)));

					// the whole history out again, streamed, counted and thrown away
					System.gc();
					sampler.takePeak();
					long exportStart = System.nanoTime();
					HttpResponse<java.io.InputStream> export = http
						.send(HttpRequest.newBuilder(URI.create(base + "/api/exports/events.ndjson"))
							.header("Authorization", authorization)
							.build(), HttpResponse.BodyHandlers.ofInputStream());
					long bytes = 0;
					long exportedLines = 0;
					byte[] buffer = new byte[64 * 1024];
					try (java.io.InputStream in = export.body()) {
						for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
							bytes += n;
							for (int i = 0; i < n; i++) {
								if (buffer[i] == '\n') {
									exportedLines++;
								}
							}
						}
					}
					double exportSeconds = (System.nanoTime() - exportStart) / 1e9;
					long exportPeak = sampler.takePeak();
					sampler.interrupt();
					lines.add(
							"export of every event (GET /api/exports/events.ndjson): %,d lines for %,d events, %,d MB in %.1f s, %,.0f events/s"
								.formatted(exportedLines, history.distinct(), bytes / (1024 * 1024), exportSeconds,
										exportedLines / exportSeconds));
					lines.add("peak heap used during the export (sampled every 50 ms, whole JVM): %,d MB"
						.formatted(exportPeak / (1024 * 1024)));
				}
			}
		}
		finally {
			// the broker's log and the store's file: over a gigabyte a run
			FileSystemUtils.deleteRecursively(dataDir);
		}
		lines.forEach(System.out::println);
		Path out = Path.of(System.getProperty("benchmark.dir", "target/benchmarks"), "rebuild.txt");
		Files.createDirectories(out.getParent());
		Files.write(out, lines);
	}

}
