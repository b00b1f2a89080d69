package dev.trustledger.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.infra.DemoUsers;
import dev.trustledger.infra.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's run command, as a user runs it: everything comes up healthy with the demo
 * loaded, Ctrl-C (SIGTERM here; the services run in sessions of their own, so the
 * terminal's SIGINT reaches only the launcher) stops everything in order, and a second
 * start reuses the data without loading the demo twice.
 */
class TrustLedgerUpIT {

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
				"--query-port=" + ports[4], "--postgres-port=" + ports[5]);
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
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri)
			.header("Authorization", DemoUsers.in(this.dataDir).withRole("DELIVERY_LEAD").basicAuthorization())
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
