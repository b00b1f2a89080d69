package dev.trustledger.command.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.trustledger.command.CommandServiceApplication;
import dev.trustledger.events.Party;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.promise.BreakPromise;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.infra.EmbeddedInfrastructure;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How long recording one incident takes on an engagement that already has 10,000 events,
 * with neither cache nor snapshots, with snapshots only, and with both (the default).
 * Prints a table and writes it to {@code target/benchmarks/aggregate-load.txt}. A
 * benchmark, not a test: run it with
 * {@code ./mvnw -pl command-service -am verify -DskipTests -Pbenchmark}.
 */
public final class AggregateLoadBenchmark {

	private static final int HISTORY = 10_000;

	private static final int COMMANDS = 30;

	private AggregateLoadBenchmark() {
	}

	public static void main(String[] args) throws IOException {
		System.setProperty("axoniq.update-checker.disabled", "true");
		Path dataDir = Files.createTempDirectory("trustledger-benchmark");
		List<String> lines = new ArrayList<>();
		lines.add(String.format(Locale.ROOT,
				"Recording one incident on an engagement with %,d events (%d commands each, sequential)", HISTORY,
				COMMANDS));
		lines.add(String.format(Locale.ROOT, "%-26s %12s %12s %12s", "mode", "first ms", "median ms", "max ms"));
		try (EmbeddedInfrastructure infra = new EmbeddedInfrastructure(
				EmbeddedInfrastructure.Settings.onFreePorts(dataDir))
			.start()) {
			lines.add(run(infra, "no cache, no snapshots", "false", "0"));
			lines.add(run(infra, "snapshots every 250", "false", "250"));
			lines.add(run(infra, "cache + snapshots (default)", "true", "250"));
		}
		lines.forEach(System.out::println);
		Path out = Path.of(System.getProperty("benchmark.dir", "target/benchmarks"), "aggregate-load.txt");
		Files.createDirectories(out.getParent());
		Files.write(out, lines);
		System.out.println("written to " + out.toAbsolutePath());
	}

	private static String run(EmbeddedInfrastructure infra, String mode, String cache, String snapshotEvery) {
		try (ConfigurableApplicationContext service = new SpringApplicationBuilder(CommandServiceApplication.class).run(
				"--server.port=0", "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
				"--spring.datasource.url=" + infra.postgresJdbcUrl(),
				"--spring.datasource.password=" + infra.postgresPassword(), "--trustledger.engagement.cache=" + cache,
				"--trustledger.engagement.snapshot-every=" + snapshotEvery, "--logging.level.root=WARN")) {
			String id = "long-history-" + snapshotEvery + "-" + cache;
			seed(service.getBean(EventStore.class), id);
			CommandGateway commands = service.getBean(CommandGateway.class);
			double[] millis = new double[COMMANDS];
			for (int i = 0; i < COMMANDS; i++) {
				long start = System.nanoTime();
				commands.sendAndWait(new BreakPromise(id, "bench-" + i, null, Party.VENDOR, 2, null,
						Instant.parse("2026-06-01T00:00:00Z"), "benchmark"));
				millis[i] = (System.nanoTime() - start) / 1e6;
			}
			double first = millis[0];
			double[] rest = Arrays.copyOfRange(millis, 1, COMMANDS);
			Arrays.sort(rest);
			return String.format(Locale.ROOT, "%-26s %12.1f %12.1f %12.1f", mode, first, rest[rest.length / 2],
					rest[rest.length - 1]);
		}
	}

	/** Writes the history straight into the event store, in batches. */
	private static void seed(EventStore store, String id) {
		List<DomainEventMessage<?>> batch = new ArrayList<>();
		batch.add(new GenericDomainEventMessage<>("Engagement", id, 0, new EngagementOpened(id, "Long History Ltd",
				"Team", "Lead", null, Instant.parse("2026-01-01T00:00:00Z"), "benchmark")));
		for (int sequence = 1; sequence < HISTORY; sequence++) {
			batch.add(new GenericDomainEventMessage<>("Engagement", id, sequence,
					new PromiseBroken(id, "seed-" + sequence, null, Party.CLIENT, 1, null,
							Instant.parse("2026-02-01T00:00:00Z"), "benchmark")));
			if (batch.size() == 500) {
				store.publish(batch);
				batch.clear();
			}
		}
		store.publish(batch);
	}

}
