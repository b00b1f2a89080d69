package dev.trustledger.command.publishing;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.command.CommandServiceApplication;
import dev.trustledger.command.engagement.EngagementCommands;
import dev.trustledger.command.engagement.LifecycleRequest;
import dev.trustledger.command.engagement.OpenEngagementRequest;
import dev.trustledger.events.Party;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.engagement.OpenEngagement;
import dev.trustledger.events.partnership.StoodByPartner;
import dev.trustledger.events.promise.BreakPromise;
import dev.trustledger.infra.EmbeddedInfrastructure;
import dev.trustledger.infra.EmbeddedKafkaBroker;
import dev.trustledger.infra.EmbeddedPostgresServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The command service against a real KRaft broker and its PostgreSQL event store: what it
 * publishes, and that a broker outage delays publication without losing anything.
 */
class EngagementEventPublishingIT {

	private static final String TOPIC = "trustledger.engagement-events";

	private static final ObjectMapper json = new ObjectMapper();

	@TempDir
	Path dataDir;

	private EmbeddedInfrastructure.Settings settings;

	private EmbeddedPostgresServer postgres;

	private EmbeddedKafkaBroker kafka;

	private ConfigurableApplicationContext service;

	private KafkaConsumer<String, CloudEvent> consumer;

	private final List<ConsumerRecord<String, CloudEvent>> received = new ArrayList<>();

	@BeforeEach
	void start() {
		this.settings = EmbeddedInfrastructure.Settings.onFreePorts(this.dataDir);
		this.postgres = new EmbeddedPostgresServer(this.dataDir.resolve("postgres"),
				this.dataDir.resolve("postgres-password"), this.dataDir.resolve("postgres.log"),
				this.settings.postgresPort());
		this.postgres.start();
		this.kafka = newBroker();
		this.kafka.start();
		this.service = new SpringApplicationBuilder(CommandServiceApplication.class).run("--server.port=0",
				"--spring.kafka.bootstrap-servers=" + this.kafka.bootstrapServers(),
				"--spring.datasource.url=" + this.postgres.jdbcUrl(),
				"--spring.datasource.password=" + this.postgres.password(),
				"--spring.kafka.producer.properties.delivery.timeout.ms=4000",
				"--spring.kafka.producer.properties.request.timeout.ms=3000",
				// the lag gauges are sampled often enough to be read within a wait
				"--trustledger.metrics.sample-interval=200ms");
		this.consumer = newConsumer();
	}

	@AfterEach
	void stop() {
		if (this.consumer != null) {
			this.consumer.close();
		}
		if (this.service != null) {
			this.service.close();
		}
		this.kafka.close();
		this.postgres.close();
	}

	@Test
	void everyStoredEventIsPublishedAsAStructuredCloudEventKeyedByEngagement() throws Exception {
		CommandGateway commands = this.service.getBean(CommandGateway.class);
		Instant openedAt = Instant.parse("2026-03-02T09:00:00Z");
		Instant occurredAt = Instant.parse("2026-04-14T16:30:00Z");
		commands.sendAndWait(new OpenEngagement("atlas-clinics", "Atlas Clinics", "Team Meridian", "Noor Haddad", null,
				openedAt, "alice"));
		commands.sendAndWait(new BreakPromise("atlas-clinics", "0b7c6f64-2f4e-4a55-9d0b-5b8f3f7c2a10", null,
				Party.VENDOR, 4, "reconciliation skipped", occurredAt, "alice"));

		awaitRecords(2);

		ConsumerRecord<String, CloudEvent> record = this.received.get(1);
		CloudEvent event = record.value();
		assertThat(record.key()).isEqualTo("atlas-clinics");
		assertThat(new String(record.headers().lastHeader("content-type").value()))
			.startsWith("application/cloudevents+json");
		assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
		assertThat(event.getType()).isEqualTo("trustledger.engagement.PromiseBroken.v1");
		assertThat(event.getSource()).hasToString("/trustledger/engagements/atlas-clinics");
		assertThat(event.getSubject()).isEqualTo("atlas-clinics");
		assertThat(event.getDataContentType()).isEqualTo("application/json");
		assertThat(Long.parseLong(event.getExtension("aggregatesequence").toString())).isEqualTo(1);
		assertThat(OffsetDateTime.parse(event.getExtension("occurredat").toString()).toInstant()).isEqualTo(occurredAt);
		assertThat(event.getExtension("recordedby")).hasToString("alice");
		assertThat(event.getTime().toInstant()).isAfter(occurredAt);
		JsonNode data = json.readTree(event.getData().toBytes());
		assertThat(data.path("engagementId").asText()).isEqualTo("atlas-clinics");
		assertThat(data.path("incidentId").asText()).isEqualTo("0b7c6f64-2f4e-4a55-9d0b-5b8f3f7c2a10");
		assertThat(data.path("party").asText()).isEqualTo("VENDOR");
		assertThat(data.path("severity").asInt()).isEqualTo(4);
		assertThat(data.path("occurredAt").asText()).isEqualTo("2026-04-14T16:30:00Z");
		assertThat(this.received.get(0).value().getType()).isEqualTo("trustledger.engagement.EngagementOpened.v1");
		assertThat(this.received.get(0).value().getId()).isNotEqualTo(event.getId());
		assertThat(this.received.get(0).partition()).isEqualTo(record.partition());
	}

	/**
	 * Three writers at once: the publisher reads and sends the events in batches (one
	 * Kafka transaction each), and every one arrives once, each engagement's in order.
	 */
	@Test
	void aBurstIsPublishedInBatchesEveryEventOnceAndInOrderPerEngagement() throws Exception {
		CommandGateway commands = this.service.getBean(CommandGateway.class);
		List<String> engagements = List.of("burst-a", "burst-b", "burst-c");
		int incidents = 300;
		java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(3);
		List<java.util.concurrent.Future<?>> done = new ArrayList<>();
		for (String id : engagements) {
			done.add(writers.submit(() -> {
				commands.sendAndWait(new OpenEngagement(id, "Burst", "Team", "Lead", null,
						Instant.parse("2026-05-01T09:00:00Z"), "alice"));
				for (int i = 0; i < incidents; i++) {
					commands.sendAndWait(new BreakPromise(id, id + "-" + i, null, Party.CLIENT, 1 + i % 5, null,
							Instant.parse("2026-05-03T09:00:00Z"), "alice"));
				}
			}));
		}
		for (java.util.concurrent.Future<?> writer : done) {
			writer.get();
		}
		writers.shutdown();

		awaitRecords(engagements.size() * (incidents + 1));

		assertThat(this.received).extracting((record) -> record.value().getId()).doesNotHaveDuplicates();
		for (String id : engagements) {
			List<Long> sequences = this.received.stream()
				.filter((record) -> record.key().equals(id))
				.map((record) -> Long.parseLong(record.value().getExtension("aggregatesequence").toString()))
				.toList();
			assertThat(sequences).hasSize(incidents + 1);
			for (int i = 0; i < sequences.size(); i++) {
				assertThat(sequences.get(i)).isEqualTo(i);
			}
		}
	}

	/**
	 * Found trying the product: an opening a billion years before the epoch (accepted
	 * then) could not be published, and the publisher retried it forever, so that no
	 * event of any engagement reached Kafka. It is now parked, with the engagement's
	 * later event behind it; the other engagements are published; after a fix, a retry
	 * publishes both in order.
	 */
	@Test
	void anEventThatCannotBePublishedIsParkedAndHoldsBackOnlyItsEngagement() {
		EventStore store = this.service.getBean(EventStore.class);
		Instant farPast = Instant.parse("-1000000000-01-01T00:00:00Z");
		store.publish(new GenericDomainEventMessage<>("Engagement", "poisoned", 0,
				new EngagementOpened("poisoned", "Poisoned", "Team", "Lead", null, farPast, "alice")));
		store.publish(new GenericDomainEventMessage<>("Engagement", "poisoned", 1,
				new StoodByPartner("poisoned", "p-1", Party.CLIENT, 2, null, farPast.plusSeconds(60), "alice")));
		CommandGateway commands = this.service.getBean(CommandGateway.class);
		commands.sendAndWait(new OpenEngagement("healthy", "Healthy", "Team", "Lead", null,
				Instant.parse("2026-05-01T09:00:00Z"), "alice"));

		awaitRecords(1);
		assertThat(this.received.get(0).key()).isEqualTo("healthy");
		ParkedEvents parked = this.service.getBean(ParkedEvents.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> parked.count() == 2);
		List<ParkedEvents.Parked> list = parked.list(10);
		assertThat(list).extracting(ParkedEvents.Parked::engagementId).containsExactly("poisoned", "poisoned");
		assertThat(list).extracting(ParkedEvents.Parked::sequence).containsExactly(0L, 1L);
		assertThat(list.get(0).cause()).isNotBlank();
		assertThat(list.get(0).causeType()).isNotBlank();
		Health health = this.service.getBean("parkedHealthIndicator", HealthIndicator.class).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("parkedEvents", 2L).containsEntry("engagements", 1L);
		// the engagement's next event waits behind the parked ones
		store.publish(new GenericDomainEventMessage<>("Engagement", "poisoned", 2,
				new StoodByPartner("poisoned", "p-2", Party.CLIENT, 2, null, farPast.plusSeconds(120), "alice")));
		await().atMost(Duration.ofSeconds(30)).until(() -> parked.count() == 3);
		// a retry before the fix changes nothing
		assertThat(parked.retry(null)).isEqualTo(new ParkedEvents.Retried(0, 3));

		// the fix: an operator corrects the parked events' time in the queue
		JdbcTemplate jdbc = new JdbcTemplate(this.service.getBean(DataSource.class));
		int fixed = jdbc.update("UPDATE deadletterentry SET payload = convert_to(replace(convert_from(payload, 'UTF8'),"
				+ " '-1000000000-01-01T00:', '2026-01-01T00:'), 'UTF8')");
		assertThat(fixed).isEqualTo(3);
		assertThat(parked.retry("poisoned")).isEqualTo(new ParkedEvents.Retried(3, 0));
		awaitRecords(4);
		assertThat(this.received.subList(1, 4)).extracting(ConsumerRecord::key).containsOnly("poisoned");
		assertThat(this.received.subList(1, 4))
			.extracting((record) -> Long.parseLong(record.value().getExtension("aggregatesequence").toString()))
			.containsExactly(0L, 1L, 2L);
		// and the engagement's events after the retry are published directly
		store.publish(new GenericDomainEventMessage<>("Engagement", "poisoned", 3, new StoodByPartner("poisoned", "p-3",
				Party.CLIENT, 2, null, Instant.parse("2026-05-01T09:00:00Z"), "alice")));
		awaitRecords(5);
		assertThat(parked.count()).isZero();
	}

	@Test
	void aBrokerOutageDelaysPublicationAndLosesNothing() {
		CommandGateway commands = this.service.getBean(CommandGateway.class);
		commands.sendAndWait(new OpenEngagement("kestrel-bank", "Kestrel Bank", "Team Solent", "Ivo Marsh", null,
				Instant.parse("2026-05-01T09:00:00Z"), "alice"));
		awaitRecords(1);
		this.consumer.close();
		this.consumer = null;

		this.kafka.close();
		// Accepted and stored while the broker is away: commands do not wait for Kafka.
		for (int i = 0; i < 3; i++) {
			commands.sendAndWait(new BreakPromise("kestrel-bank", "6a0d9f1e-4c1b-4a8e-8b1d-1c2d3e4f5a6" + i, null,
					Party.CLIENT, 2, "late sign-off", Instant.parse("2026-05-03T09:00:00Z"), "alice"));
		}
		// The unacknowledged send has failed and the processor is backing off, token
		// unmoved.
		TrackingEventProcessor publisher = this.service.getBean(EventProcessingConfiguration.class)
			.eventProcessor(EngagementEventPublisher.PROCESSING_GROUP, TrackingEventProcessor.class)
			.orElseThrow();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> publisher.processingStatus().values().stream().anyMatch((status) -> status.isErrorState()));
		// the metrics say so: three events stored and not published, waiting
		MeterRegistry metrics = this.service.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> metrics.get("trustledger.publication.lag.events").gauge().value() == 3);
		assertThat(metrics.get("trustledger.publication.lag.seconds").gauge().value()).isPositive();
		this.kafka = newBroker();
		this.kafka.start();
		this.received.clear();
		this.consumer = newConsumer();

		awaitRecords(4);
		assertThat(this.received)
			.extracting((record) -> Long.parseLong(record.value().getExtension("aggregatesequence").toString()))
			.containsExactly(0L, 1L, 2L, 3L);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> metrics.get("trustledger.publication.lag.events").gauge().value() == 0
					&& metrics.get("trustledger.publication.lag.seconds").gauge().value() == 0);
		assertThat(this.received).extracting((record) -> record.value().getId()).doesNotHaveDuplicates();
	}

	/**
	 * History an admin imports keeps when it was first recorded: that is the envelope's
	 * {@code time}; anything recorded here without one carries the time this store took
	 * it in.
	 */
	@Test
	void aRecordingTimeGivenWithTheCommandIsTheEnvelopesTimeAndTheStoresOwnOtherwise() {
		EngagementCommands commands = this.service.getBean(EngagementCommands.class);
		Instant openedAt = Instant.parse("2024-03-02T09:00:00Z");
		Instant firstRecorded = Instant.parse("2024-03-04T10:15:00Z");
		Instant before = Instant.now();
		commands.open(
				new OpenEngagementRequest("heron-labs", "Heron Labs", "Team Meridian", "Noor Haddad", null, openedAt),
				"root", firstRecorded);
		commands.close("heron-labs", new LifecycleRequest(Instant.parse("2024-05-01T00:00:00Z"), null), "ava");

		awaitRecords(2);

		assertThat(this.received.get(0).value().getTime().toInstant()).isEqualTo(firstRecorded);
		assertThat(this.received.get(1).value().getTime().toInstant()).isAfterOrEqualTo(before.minusSeconds(1));
	}

	private EmbeddedKafkaBroker newBroker() {
		return new EmbeddedKafkaBroker(this.dataDir.resolve("kafka"), this.settings.kafkaPort(),
				this.settings.kafkaControllerPort());
	}

	private KafkaConsumer<String, CloudEvent> newConsumer() {
		Properties props = new Properties();
		props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.kafka.bootstrapServers());
		props.put(ConsumerConfig.GROUP_ID_CONFIG, "publishing-check-" + System.nanoTime());
		props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CloudEventDeserializer.class);
		KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(props);
		consumer.subscribe(Set.of(TOPIC));
		return consumer;
	}

	private void awaitRecords(int count) {
		// long enough for a publisher that backed off while the broker was away (up to
		// 60 s between tries) to try again
		await().atMost(Duration.ofSeconds(150)).until(() -> {
			this.consumer.poll(Duration.ofMillis(200)).forEach(this.received::add);
			return this.received.size() >= count;
		});
		// anything more would be a duplicate
		this.consumer.poll(Duration.ofSeconds(1)).forEach(this.received::add);
		assertThat(this.received).hasSize(count);
	}

}
