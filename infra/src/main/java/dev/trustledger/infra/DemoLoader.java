package dev.trustledger.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the demo through the public command API, once per data directory: the eight
 * hand-written stories from {@code seeds/scenarios/*.json}, as the demo account-team
 * user, each file an engagement and its dated incidents with fixed ids; then the
 * generated portfolio ({@link GeneratedPortfolio}), through the bulk import as the demo
 * admin, so that the times its events were recorded are kept. The API answers a repeat
 * with the original result, and the portfolio's end date is kept in the data directory,
 * so an interrupted load can simply run again, even on another day.
 */
public final class DemoLoader {

	static final String SHOWCASE_ENGAGEMENT = "harbour-freight";

	private static final Logger log = LoggerFactory.getLogger(DemoLoader.class);

	private static final ObjectMapper json = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Path seeds;

	private final Path marker;

	private final DemoUsers.User recorder;

	private final DemoUsers.User admin;

	private final int portfolioSize;

	private final Path portfolioEnd;

	private final Clock clock;

	/** The small demo: the hand-written stories alone. */
	public DemoLoader(Path seeds, Path dataDir, DemoUsers.User recorder) {
		this(seeds, dataDir, recorder, null, 0, Clock.systemUTC());
	}

	/**
	 * @param portfolioSize how many engagements the generated portfolio holds; 0 loads
	 * only the hand-written stories
	 */
	public DemoLoader(Path seeds, Path dataDir, DemoUsers.User recorder, DemoUsers.User admin, int portfolioSize,
			Clock clock) {
		this.seeds = seeds.resolve("scenarios");
		this.marker = dataDir.resolve("demo-loaded");
		this.portfolioEnd = dataDir.resolve("demo-portfolio-end");
		this.recorder = recorder;
		this.admin = admin;
		this.portfolioSize = portfolioSize;
		this.clock = clock;
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
		log.info("Demo loaded: {} scenarios, {} incidents.", files.size(), incidents);
		if (this.portfolioSize > 0 && !loadPortfolio(commandService)) {
			// not marked as loaded: the next start loads it again, which stores nothing
			// twice
			log.warn("The generated portfolio did not load whole; the next start tries again.");
			return;
		}
		try {
			Files.writeString(this.marker, "loaded " + files.size() + " scenarios and a generated portfolio of "
					+ this.portfolioSize + " engagements\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return whether every line was recorded
	 */
	private boolean loadPortfolio(URI commandService) {
		long started = System.nanoTime();
		GeneratedPortfolio portfolio = new GeneratedPortfolio(this.portfolioSize, portfolioEnd());
		List<String> lines = portfolio.importLines();
		HttpResponse<Stream<String>> response = send(HttpRequest.newBuilder(commandService.resolve("/api/imports"))
			.timeout(Duration.ofMinutes(10))
			.header("Content-Type", "application/x-ndjson")
			.header("Authorization", this.admin.basicAuthorization())
			.POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines)))
			.build(), HttpResponse.BodyHandlers.ofLines());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("The generated portfolio was refused: " + response.statusCode());
		}
		long refused = 0;
		JsonNode summary = null;
		try (Stream<String> answers = response.body()) {
			for (String answer : (Iterable<String>) answers::iterator) {
				JsonNode node = json.readTree(answer);
				if (node.has("summary")) {
					summary = node.path("summary");
				}
				else if (node.path("status").asInt() >= 300 && refused++ < 5) {
					log.warn("A line of the generated portfolio was refused: {}", answer);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (summary == null) {
			throw new IllegalStateException("The import of the generated portfolio ended without its summary.");
		}
		log.info(
				"Generated portfolio loaded: {} engagements, {} events to {} (seed {}), {} refused, in {} s. The query service projects them in the background.",
				this.portfolioSize, summary.path("accepted").asLong(), portfolio.end(), GeneratedPortfolio.SEED,
				summary.path("rejected").asLong(),
				String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
		return summary.path("rejected").asLong() == 0 && !summary.path("truncated").asBoolean()
				&& summary.path("accepted").asLong() == lines.size();
	}

	/**
	 * The instant the portfolio stands at: the start of the day it was first loaded, kept
	 * so that a load run again another day makes the same portfolio.
	 */
	private Instant portfolioEnd() {
		try {
			if (Files.exists(this.portfolioEnd)) {
				return Instant.parse(Files.readString(this.portfolioEnd).strip());
			}
			Instant end = GeneratedPortfolio.today(this.clock);
			Files.writeString(this.portfolioEnd, end + "\n");
			return end;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
		try {
			return this.http.send(request, body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
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
