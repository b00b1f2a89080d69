package dev.trustledger.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.infra.DemoUsers;
import dev.trustledger.infra.GeneratedPortfolio;
import dev.trustledger.infra.Ports;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;
import dev.trustledger.scoring.backtest.Backtest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The README's run command, as a user runs it: everything comes up healthy with the demo
 * loaded, Ctrl-C (SIGTERM here; the services run in sessions of their own, so the
 * terminal's SIGINT reaches only the launcher) stops everything in order, and a second
 * start reuses the data without loading the demo twice. The demo's generated portfolio is
 * smaller here than by default, so that it projects in seconds.
 */
class TrustLedgerUpIT {

	/** The API answers a back-test's figures to four decimals. */
	private static final double ROUNDING = 0.00005;

	/** A generated portfolio small enough to project in seconds. */
	private static final int PORTFOLIO = 30;

	@TempDir
	Path dataDir;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void upLoadsTheDemoOnceAndStopsCleanly() throws Exception {
		List<Path> scenarios;
		try (var files = Files.list(SystemUnderTest.home().resolve("seeds/scenarios"))) {
			scenarios = files.filter((file) -> file.toString().endsWith(".json")).sorted().toList();
		}
		int[] ports = Ports.freePorts(6);
		List<String> options = List.of("--data-dir=" + this.dataDir, "--kafka-port=" + ports[0],
				"--kafka-controller-port=" + ports[1], "--mongo-port=" + ports[2], "--command-port=" + ports[3],
				"--query-port=" + ports[4], "--postgres-port=" + ports[5], "--portfolio-size=" + PORTFOLIO);
		URI demo = URI.create("http://127.0.0.1:" + ports[4] + "/api/engagements/harbour-freight");
		Path logs = SystemUnderTest.home().resolve("system-tests/target/service-logs");
		Files.createDirectories(logs);

		Path firstRun = logs.resolve("trustledger-up-1.log");
		Process first = up(options, firstRun);
		try {
			awaitOutput(first, firstRun, "Trust Ledger is up.");
			JsonNode showcase = SystemUnderTest.parse(Files.readString(scenarios.get(0)));
			int showcaseEvents = 1 + showcase.path("incidents").size();
			JsonNode engagement = await().atMost(Duration.ofSeconds(60))
				.until(() -> get(demo), (node) -> node != null && node.path("eventCount").asInt() == showcaseEvents);
			assertThat(engagement.path("clientName").asText())
				.isEqualTo(showcase.path("engagement").path("clientName").asText());
			assertThat(Files.readString(firstRun))
				.contains("Demo loaded: " + scenarios.size() + " scenarios, " + incidents(scenarios) + " incidents.")
				.contains("ava", "DELIVERY_LEAD", DemoUsers.in(this.dataDir).withRole("ANALYST").password())
				.containsPattern("All healthy \\d+\\.\\d s after build done");
			theGeneratedPortfolioIsLoadedAndBacktestedAsItWasRecorded(firstRun, ports[4]);
		}
		finally {
			stop(first);
		}
		String stopped = Files.readString(firstRun);
		assertThat(stopped).contains("Stopping Trust Ledger...", "Kafka broker stopped", "PostgreSQL stopped",
				"Stopped.");
		// in order: the services, then the broker, then the database
		assertThat(stopped.indexOf("Kafka broker stopped")).isLessThan(stopped.indexOf("PostgreSQL stopped"));
		assertThat(stopped).doesNotContain("ERROR");
		assertThat(first.exitValue()).isNotEqualTo(1);
		for (int port : ports) {
			assertThat(isListening(port)).as("port %d released", port).isFalse();
		}

		Path secondRun = logs.resolve("trustledger-up-2.log");
		Process second = up(options, secondRun);
		try {
			awaitOutput(second, secondRun, "Trust Ledger is up.");
			assertThat(Files.readString(secondRun)).contains("Demo already loaded");
			JsonNode engagement = get(demo);
			assertThat(engagement).isNotNull();
			assertThat(engagement.path("eventCount").asInt())
				.isEqualTo(1 + SystemUnderTest.parse(Files.readString(scenarios.get(0))).path("incidents").size());
		}
		finally {
			stop(second);
		}
	}

	/**
	 * The generated portfolio reaches the query service with the times its events were
	 * recorded: the back-test the API answers on it is the one the pure back-test gives
	 * on the generated histories themselves (the same outcomes, the same AUCs), which it
	 * could not be if the import had recorded them all now.
	 */
	private void theGeneratedPortfolioIsLoadedAndBacktestedAsItWasRecorded(Path output, int queryPort)
			throws Exception {
		Instant end = Instant.parse(Files.readString(this.dataDir.resolve("demo-portfolio-end")).strip());
		GeneratedPortfolio portfolio = new GeneratedPortfolio(PORTFOLIO, end);
		assertThat(Files.readString(output)).contains("Generated portfolio loaded: " + PORTFOLIO + " engagements, "
				+ portfolio.events() + " events to " + end + " (seed " + GeneratedPortfolio.SEED + "), 0 refused");
		Backtest.Report expected = Backtest.run(new ScoringEngine(ScoringModel.defaultModel()), portfolio.histories(),
				Duration.ofDays(60), 1);
		assertThat(expected.bad()).as("the portfolio has bad outcomes to back-test").isPositive();
		assertThat(expected.good()).as("and good ones").isPositive();
		URI backtest = URI.create("http://127.0.0.1:" + queryPort + "/api/models/"
				+ ScoringModel.defaultModel().version() + "/backtest?horizon=60d");
		JsonNode answer = await().atMost(Duration.ofSeconds(180))
			.pollInterval(Duration.ofSeconds(2))
			.until(() -> get(backtest, "ANALYST"),
					(node) -> node != null && node.path("outcomes").asInt() == expected.outcomes()
							&& node.path("bad").asLong() == expected.bad()
							&& node.path("unscored").asInt() == expected.unscored()
							&& Math.abs(node.path("predictors").path("trust").path("auc").asDouble()
									- expected.predictors().get("trust").auc()) < ROUNDING);
		for (String predictor : expected.predictors().keySet()) {
			assertThat(answer.path("predictors").path(predictor).path("auc").asDouble()).as(predictor)
				.isCloseTo(expected.predictors().get(predictor).auc(), within(ROUNDING));
		}
		assertThat(answer.path("healthyShare").asDouble()).isCloseTo(expected.healthyShare(), within(ROUNDING));
	}

	private static int incidents(List<Path> scenarios) throws IOException {
		int count = 0;
		for (Path scenario : scenarios) {
			count += SystemUnderTest.parse(Files.readString(scenario)).path("incidents").size();
		}
		return count;
	}

	private static Process up(List<String> options, Path output) throws IOException {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
						SystemUnderTest.jar("infra").toString(), "up", "--home=" + SystemUnderTest.home()));
		command.addAll(options);
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
	}

	private static void awaitOutput(Process process, Path output, String text) {
		await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> {
			assertThat(process.isAlive()).as("launcher alive; its output is in %s", output).isTrue();
			return Files.readString(output).contains(text);
		});
	}

	private static void stop(Process process) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(90, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
	}

	private JsonNode get(URI uri) throws IOException, InterruptedException {
		return get(uri, "DELIVERY_LEAD");
	}

	private JsonNode get(URI uri, String role) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri)
			.header("Authorization", DemoUsers.in(this.dataDir).withRole(role).basicAuthorization())
			.build(), HttpResponse.BodyHandlers.ofString());
		return (response.statusCode() == 200) ? SystemUnderTest.parse(response.body()) : null;
	}

	private static boolean isListening(int port) {
		try (java.net.Socket socket = new java.net.Socket()) {
			socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
