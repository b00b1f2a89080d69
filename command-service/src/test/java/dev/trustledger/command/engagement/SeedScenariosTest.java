package dev.trustledger.command.engagement;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.trustledger.events.EngagementEvent;
import dev.trustledger.scoring.ScorableEvent;
import dev.trustledger.scoring.ScorePoint;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every seed scenario in {@code seeds/scenarios} is a valid sequence of API requests, and
 * what the aggregate records for it, scored by the engine as of the scenario's date,
 * shows the scenario's expected outcomes. Runs on Axon's in-memory event store: the full
 * pipeline (HTTP, Kafka, projections) is tested elsewhere.
 */
class SeedScenariosTest {

	private static final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

	private static final ScoringEngine engine = new ScoringEngine(ScoringModel.defaultModel());

	private static Configuration axon;

	private static final Map<String, Outcome> outcomes = new HashMap<>();

	@BeforeAll
	static void recordEveryScenario() throws IOException {
		Clock clock = Clock.fixed(Instant.parse("2026-11-20T00:00:00Z"), ZoneOffset.UTC);
		axon = DefaultConfigurer.defaultConfiguration()
			.configureEmbeddedEventStore((configuration) -> new InMemoryEventStorageEngine())
			.configureAggregate(Engagement.class)
			.registerComponent(Clock.class, (configuration) -> clock)
			.buildConfiguration();
		axon.start();
		EngagementCommands commands = new EngagementCommands(axon.commandGateway(),
				new org.springframework.util.SimpleIdGenerator());
		for (Path file : scenarioFiles()) {
			JsonNode scenario = json.readTree(file.toFile());
			String id = commands
				.open(json.treeToValue(scenario.path("engagement"), OpenEngagementRequest.class), "seed")
				.engagementId();
			for (JsonNode incident : scenario.path("incidents")) {
				commands.record(id, json.treeToValue(incident, IncidentRequest.class), "seed");
			}
			List<ScorableEvent> events = new ArrayList<>();
			axon.eventStore()
				.readEvents(id)
				.asStream()
				.forEach((message) -> events.add(new ScorableEvent(message.getSequenceNumber(), message.getIdentifier(),
						(EngagementEvent) message.getPayload())));
			Instant asOf = Instant.parse(scenario.path("asOf").asText());
			outcomes.put(scenario.path("scenario").asText(), new Outcome(scenario, events, engine.score(events),
					engine.scoresAt(events, asOf), asOf, events.size() == 1 + scenario.path("incidents").size()));
		}
	}

	@AfterAll
	static void stop() {
		axon.shutdown();
	}

	@TestFactory
	Stream<DynamicTest> everyScenarioShowsItsExpectedOutcomes() {
		assertThat(outcomes).hasSizeGreaterThanOrEqualTo(8);
		return outcomes.values().stream().flatMap((outcome) -> {
			List<DynamicTest> tests = new ArrayList<>();
			String name = outcome.scenario().path("scenario").asText();
			tests.add(DynamicTest.dynamicTest(name + ": every request is recorded",
					() -> assertThat(outcome.complete()).isTrue()));
			for (JsonNode expectation : outcome.scenario().path("expect")) {
				tests.add(DynamicTest.dynamicTest(name + ": " + expectation.path("says").asText(),
						() -> check(outcome, expectation)));
			}
			return tests.stream();
		});
	}

	private static void check(Outcome outcome, JsonNode expectation) {
		String metric = expectation.path("metric").asText();
		String op = expectation.path("op").asText();
		Object actual = outcome.metric(metric);
		if (actual instanceof Boolean || actual instanceof String) {
			assertThat(String.valueOf(actual)).isEqualTo(expectation.path("value").asText());
			return;
		}
		BigDecimal value = (BigDecimal) actual;
		if (op.equals("between")) {
			assertThat(value).isBetween(expectation.path("value").get(0).decimalValue(),
					expectation.path("value").get(1).decimalValue());
			return;
		}
		BigDecimal bound;
		if (expectation.has("scenario")) {
			bound = (BigDecimal) outcomes.get(expectation.path("scenario").asText()).metric(metric);
		}
		else if (expectation.has("scenarioMetric")) {
			bound = (BigDecimal) outcome.metric(expectation.path("scenarioMetric").asText());
		}
		else if (expectation.has("valueBefore")) {
			bound = outcome.trustBefore(expectation.path("valueBefore").asText());
		}
		else if (expectation.has("aboveMinimumBy")) {
			bound = outcome.minimumTrust().add(expectation.path("aboveMinimumBy").decimalValue());
		}
		else {
			bound = expectation.path("value").decimalValue();
		}
		switch (op) {
			case ">" -> assertThat(value).isGreaterThan(bound);
			case "<" -> assertThat(value).isLessThan(bound);
			default -> throw new IllegalArgumentException("Unknown op " + op);
		}
	}

	private static List<Path> scenarioFiles() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("..", "seeds", "scenarios"))) {
			return files.filter((file) -> file.toString().endsWith(".json")).sorted().toList();
		}
	}

	/**
	 * A recorded scenario and its scores: the timeline, and the scores as of the
	 * scenario's date.
	 */
	private record Outcome(JsonNode scenario, List<ScorableEvent> events, List<ScorePoint> timeline,
			ScoringEngine.Scores now, Instant asOf, boolean complete) {

		Object metric(String name) {
			ScorePoint last = this.timeline.get(this.timeline.size() - 1);
			double[] trust = this.now.trustInputs();
			double[] mutual = this.now.mutualInputs();
			return switch (name) {
				case "trust" -> this.now.trustPoints();
				case "mutualResponsibility" -> this.now.mutualPoints();
				case "credibility" -> points(trust[0]);
				case "reliability" -> points(trust[1]);
				case "intimacy" -> points(trust[2]);
				case "selfOrientation" -> points(trust[3]);
				case "vendorOwnership" -> points(mutual[0]);
				case "clientOwnership" -> points(mutual[1]);
				case "band" -> this.now.band().name();
				case "sponsorless" -> this.now.sponsorless();
				case "stale" -> Duration.between(last.occurredAt(), this.asOf)
					.compareTo(Duration.ofDays(engine.model().staleAfterDays())) > 0;
				default -> throw new IllegalArgumentException("Unknown metric " + name);
			};
		}

		BigDecimal trustBefore(String eventType) {
			for (int i = 1; i < this.timeline.size(); i++) {
				if (this.timeline.get(i).eventType().equals(eventType)) {
					return this.timeline.get(i - 1).trust();
				}
			}
			throw new IllegalArgumentException("No " + eventType + " in the scenario");
		}

		BigDecimal minimumTrust() {
			return this.timeline.stream().map(ScorePoint::trust).min(BigDecimal::compareTo).orElseThrow();
		}

		private static BigDecimal points(double fraction) {
			return BigDecimal.valueOf(StrictMath.round(fraction * 10_000), 2);
		}

	}

}
