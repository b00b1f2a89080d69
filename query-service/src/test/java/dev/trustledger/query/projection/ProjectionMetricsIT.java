package dev.trustledger.query.projection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.trustledger.infra.DemoUsers;
import dev.trustledger.infra.EmbeddedInfrastructure;
import dev.trustledger.query.QueryServiceApplication;
import dev.trustledger.query.fixtures.RandomHistory;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The query service's metrics as a Prometheus server scrapes them, while a burst of
 * events is projected and after.
 */
class ProjectionMetricsIT {

	@TempDir
	static Path dataDir;

	static EmbeddedInfrastructure infra;

	static ConfigurableApplicationContext service;

	static DemoUsers users;

	static final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void start() {
		infra = new EmbeddedInfrastructure(EmbeddedInfrastructure.Settings.onFreePorts(dataDir)).start();
		users = DemoUsers.in(dataDir);
		List<String> args = new ArrayList<>(
				List.of("--server.port=0", "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
						"--spring.data.mongodb.uri=" + infra.mongoConnectionString() + "/trustledger-query"));
		args.addAll(users.springArgs());
		service = new SpringApplicationBuilder(QueryServiceApplication.class).run(args.toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		service.close();
		infra.close();
	}

	@Test
	void theLagIsAboveZeroWhileABurstIsProjectedAndZeroAfter() throws Exception {
		assertThat(scrape("DELIVERY_LEAD").statusCode()).isEqualTo(403);
		RandomHistory history = new RandomHistory(11, 30, 50);
		try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(
				RandomHistory.producerProperties(infra.kafkaBootstrapServers()))) {
			history
				.emit((key, event) -> producer.send(new ProducerRecord<>("trustledger.engagement-events", key, event)));
			producer.flush();
		}
		List<Double> seen = new ArrayList<>();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			seen.add(metric(prometheus(), "trustledger_projection_lag_events"));
			return seen.get(seen.size() - 1) > 0;
		});
		assertThat(metric(prometheus(), "trustledger_projection_lag_seconds")).isGreaterThanOrEqualTo(0);

		await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
			String scraped = prometheus();
			return metric(scraped, "trustledger_projection_lag_events") == 0
					&& metric(scraped, "trustledger_projection_lag_seconds") == 0;
		});
		String scraped = prometheus();
		assertThat(scraped.lines().filter((line) -> line.startsWith("trustledger_projection_partition_lag{")))
			.as("the consumer's lag, per partition")
			.hasSize(6)
			.allSatisfy((line) -> assertThat(line).endsWith(" 0.0"));
		assertThat(metric(scraped, "trustledger_projection_apply_seconds_count")).isGreaterThanOrEqualTo(1500);
		assertThat(metric(scraped, "trustledger_projection_parked")).isZero();
		assertThat(metric(scraped, "trustledger_replay_running")).isZero();
		assertThat(scraped).contains("trustledger_webhook_pending", "trustledger_replay_events_processed",
				"http_server_requests_seconds");
	}

	private static HttpResponse<String> scrape(String role) throws Exception {
		String port = service.getEnvironment().getProperty("local.server.port");
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
			.header("Authorization", users.withRole(role).basicAuthorization())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String prometheus() throws Exception {
		HttpResponse<String> scraped = scrape("ADMIN");
		assertThat(scraped.statusCode()).isEqualTo(200);
		return scraped.body();
	}

	/** The sum of a metric's samples whose labels hold every one given; 0 when none. */
	private static double metric(String scraped, String name, String... labels) {
		double sum = 0;
		for (String line : scraped.lines().toList()) {
			if ((line.startsWith(name + "{") || line.startsWith(name + " "))
					&& Arrays.stream(labels).allMatch(line::contains)) {
				String value = line.substring(line.lastIndexOf(' ') + 1);
				if (!value.equals("NaN")) {
					sum += Double.parseDouble(value);
				}
			}
		}
		return sum;
	}

}
