package dev.trustledger.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the demo scenarios from {@code seeds/scenarios/*.json} through the public command
 * API, once per data directory, as the demo account-team user. Each file holds an
 * engagement and its dated incidents with fixed ids; the API answers a repeat with the
 * original result, so an interrupted load can simply run again.
 */
public final class DemoLoader {

	static final String SHOWCASE_ENGAGEMENT = "harbour-freight";

	private static final Logger log = LoggerFactory.getLogger(DemoLoader.class);

	private static final ObjectMapper json = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Path seeds;

	private final Path marker;

	private final DemoUsers.User recorder;

	public DemoLoader(Path seeds, Path dataDir, DemoUsers.User recorder) {
		this.seeds = seeds.resolve("scenarios");
		this.marker = dataDir.resolve("demo-loaded");
		this.recorder = recorder;
	}

	public void loadOnce(URI commandService) {
		if (Files.exists(this.marker)) {
			log.info("Demo already loaded in this data directory; not loading it again.");
			return;
		}
		List<Path> files = scenarioFiles();
		int incidents = 0;
		for (Path file : files) {
			incidents += load(commandService, file);
		}
		try {
			Files.writeString(this.marker, "loaded " + files.size() + " scenarios\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		log.info("Demo loaded: {} scenarios, {} incidents.", files.size(), incidents);
	}

	private List<Path> scenarioFiles() {
		if (!Files.isDirectory(this.seeds)) {
			log.warn("No demo scenarios: {} does not exist.", this.seeds);
			return List.of();
		}
		try (Stream<Path> list = Files.list(this.seeds)) {
			return list.filter((path) -> path.toString().endsWith(".json")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private int load(URI commandService, Path file) {
		JsonNode scenario;
		try {
			scenario = json.readTree(file.toFile());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Unreadable scenario " + file + ": " + ex.getMessage(), ex);
		}
		JsonNode engagement = scenario.path("engagement");
		String engagementId = engagement.path("engagementId").asText();
		post(commandService.resolve("/api/engagements"), engagement, file);
		URI incidents = commandService.resolve("/api/engagements/" + engagementId + "/incidents");
		int count = 0;
		for (JsonNode incident : scenario.path("incidents")) {
			post(incidents, incident, file);
			count++;
		}
		return count;
	}

	private void post(URI uri, JsonNode body, Path file) {
		try {
			HttpRequest request = HttpRequest.newBuilder(uri)
				.timeout(Duration.ofSeconds(30))
				.header("Content-Type", "application/json")
				.header("Authorization", this.recorder.basicAuthorization())
				.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
				.build();
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			int status = response.statusCode();
			if (status != 201) {
				throw new IllegalStateException("Scenario " + file.getFileName() + " was refused at " + uri + ": "
						+ status + " " + response.body());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
