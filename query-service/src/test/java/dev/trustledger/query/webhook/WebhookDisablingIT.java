package dev.trustledger.query.webhook;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.trustledger.infra.EmbeddedMongoServer;
import dev.trustledger.infra.Ports;
import dev.trustledger.support.metrics.SampledGauges;
import dev.trustledger.support.tracing.TraceContexts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A receiver that keeps failing has its subscription disabled after
 * {@code disable-after-failures} attempts in a row, and nothing more is sent to it;
 * another subscription goes on. The dispatcher runs on the embedded MongoDB-wire server
 * and posts to a real HTTP receiver; the threshold is low here so that the rule is seen
 * in a few attempts ({@link WebhookDeliveryIT} runs the whole service with it out of
 * reach).
 */
class WebhookDisablingIT {

	private static final int THRESHOLD = 3;

	private static final Duration WAIT = Duration.ofSeconds(60);

	@TempDir
	Path dataDir;

	private EmbeddedMongoServer server;

	private MongoClient client;

	private Receiver receiver;

	private SampledGauges gauges;

	private Dispatcher dispatcher;

	private Subscriptions subscriptions;

	private Deliveries deliveries;

	@BeforeEach
	void start() {
		this.server = new EmbeddedMongoServer(this.dataDir.resolve("mongo.mv"), Ports.freePorts(1)[0]);
		this.server.start();
		this.client = MongoClients.create(this.server.connectionString());
		MongoDatabase database = this.client.getDatabase("webhooks");
		this.receiver = new Receiver().start();
		this.subscriptions = new Subscriptions(database, new SecureRandom());
		this.deliveries = new Deliveries(database);
		WebhookProperties properties = new WebhookProperties(URI.create("https://trust.example.com"),
				new WebhookProperties.Retry(Duration.ofMillis(50), 1, Duration.ofMillis(50), Duration.ofHours(72)),
				THRESHOLD, Duration.ofHours(24), true, Duration.ofMillis(50), Duration.ofSeconds(60), 2,
				Duration.ofSeconds(2), Duration.ofSeconds(5));
		TraceContexts traces = new TraceContexts(Tracer.NOOP, Propagator.NOOP);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.gauges = new SampledGauges(registry, Duration.ofHours(1));
		this.dispatcher = new Dispatcher(
				this.subscriptions, this.deliveries, new Sender(properties.connectTimeout(),
						properties.requestTimeout(), new Targets(true), Clock.systemUTC(), traces),
				properties, Clock.systemUTC(), registry, this.gauges, traces);
	}

	@AfterEach
	void stop() {
		if (this.dispatcher != null) {
			this.dispatcher.stop();
		}
		this.gauges.close();
		this.receiver.close();
		this.client.close();
		this.server.close();
	}

	@Test
	void aReceiverThatKeepsFailingIsDisabledAfterTheThresholdAndGetsNothingMore() {
		this.receiver.answer("/down", 500);
		Instant now = Instant.parse("2026-06-01T09:00:00Z");
		Subscription down = this.subscriptions.create(subscription("/down"), now);
		Subscription up = this.subscriptions.create(subscription("/up"), now);
		for (String alert : List.of("alert-1", "alert-2")) {
			for (Subscription subscription : List.of(down, up)) {
				assertThat(this.deliveries.queue(subscription,
						new AlertMessage(alert, "TRUST_DROP", "kestrel-bank", "{\"alertId\":\"" + alert + "\"}"), now,
						Map.of()))
					.isTrue();
			}
		}
		this.dispatcher.start();

		await().atMost(WAIT).until(() -> !this.subscriptions.find(down.id()).orElseThrow().enabled());
		Subscription disabled = this.subscriptions.find(down.id()).orElseThrow();
		assertThat(disabled.disabledReason()).isEqualTo(THRESHOLD + " failed attempts in a row");
		assertThat(disabled.disabledAt()).isNotNull();
		// both deliveries end, abandoned with the reason, and are not tried again
		await().atMost(WAIT)
			.until(() -> states(down)
				.equals(List.of(Deliveries.State.ABANDONED.name(), Deliveries.State.ABANDONED.name())));
		assertThat(this.deliveries.log(down.id(), 10)).allSatisfy((delivery) -> assertThat(delivery.getString("reason"))
			.isEqualTo("the subscription was disabled: " + THRESHOLD + " failed attempts in a row"));
		// one delivery at a time per subscription: the attempt that reached the threshold
		// was the last one sent
		assertThat(this.receiver.requests("/down")).hasSize(THRESHOLD);

		// the other subscription is not touched by these failures
		await().atMost(WAIT)
			.until(() -> states(up)
				.equals(List.of(Deliveries.State.DELIVERED.name(), Deliveries.State.DELIVERED.name())));
		Subscription healthy = this.subscriptions.find(up.id()).orElseThrow();
		assertThat(healthy.enabled()).isTrue();
		assertThat(healthy.consecutiveFailures()).isZero();
		assertThat(this.receiver.requests("/up")).hasSize(2);

		// nothing more goes to the disabled receiver while the dispatcher keeps polling
		await().during(Duration.ofMillis(500))
			.atMost(WAIT)
			.until(() -> this.receiver.requests("/down").size() == THRESHOLD);
	}

	private List<String> states(Subscription subscription) {
		return this.deliveries.log(subscription.id(), 10)
			.stream()
			.map((delivery) -> delivery.getString("state"))
			.toList();
	}

	private Subscription subscription(String path) {
		return new Subscription(null, URI.create(this.receiver.url(path)), path, Set.of(), Set.of(), Set.of(),
				Subscription.Format.STANDARD, List.of(), true, null, null, 0, "lead", null, null);
	}

}
