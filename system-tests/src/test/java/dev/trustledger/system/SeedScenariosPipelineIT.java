package dev.trustledger.system;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.infra.DemoLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every seed scenario through the real pipeline: loaded over HTTP by the launcher's own
 * loader, stored by Axon, published to Kafka, projected and scored by the query service;
 * then each expected outcome is checked against the query API as of the scenario's date.
 */
class SeedScenariosPipelineIT {

	@TempDir
	Path dataDir;

	@Test
	void everyScenarioShowsItsExpectedOutcomesThroughThePipeline() throws Exception {
		List<Path> files;
		try (Stream<Path> list = Files.list(SystemUnderTest.home().resolve("seeds/scenarios"))) {
			files = list.filter((file) -> file.toString().endsWith(".json")).sorted().toList();
		}
		assertThat(files).hasSizeGreaterThanOrEqualTo(8);
		try (SystemUnderTest system = new SystemUnderTest("seeds", this.dataDir).start()) {
			new DemoLoader(SystemUnderTest.home().resolve("seeds"), this.dataDir, system.user("ACCOUNT_TEAM"))
				.loadOnce(system.commandService().baseUri());

			Map<String, JsonNode> scenarios = new HashMap<>();
			Map<String, JsonNode> views = new HashMap<>();
			Map<String, List<BigDecimal>> trusts = new HashMap<>();
			Map<String, List<String>> types = new HashMap<>();
			for (Path file : files) {
				JsonNode scenario = SystemUnderTest.parse(Files.readString(file));
				String name = scenario.path("scenario").asText();
				String id = scenario.path("engagement").path("engagementId").asText();
				int events = 1 + scenario.path("incidents").size();
				await().atMost(Duration.ofSeconds(90))
					.until(() -> system.engagement(id),
							(view) -> view != null && view.path("eventCount").asInt() == events);
				scenarios.put(name, scenario);
				views.put(name, SystemUnderTest
					.parse(system.query("/api/engagements/" + id + "?asOf=" + scenario.path("asOf").asText()).body()));
				List<BigDecimal> trust = new ArrayList<>();
				List<String> type = new ArrayList<>();
				SystemUnderTest.parse(system.query("/api/engagements/" + id + "/timeline").body())
					.path("points")
					.forEach((point) -> {
						trust.add(point.path("trust").decimalValue());
						type.add(point.path("eventType").asText());
					});
				assertThat(trust).hasSize(events);
				trusts.put(name, trust);
				types.put(name, type);
			}

			List<String> failures = new ArrayList<>();
			int checked = 0;
			for (Map.Entry<String, JsonNode> entry : scenarios.entrySet()) {
				String name = entry.getKey();
				for (JsonNode expectation : entry.getValue().path("expect")) {
					checked++;
					if (!holds(expectation, name, views, trusts.get(name), types.get(name))) {
						failures.add(name + ": " + expectation.path("says").asText() + " (" + expectation + ", got "
								+ metric(views.get(name), expectation.path("metric").asText()) + ")");
					}
				}
			}
			assertThat(checked).isGreaterThanOrEqualTo(20);
			assertThat(failures).isEmpty();
		}
	}

	private static boolean holds(JsonNode expectation, String name, Map<String, JsonNode> views,
			List<BigDecimal> trusts, List<String> types) {
		JsonNode view = views.get(name);
		String metric = expectation.path("metric").asText();
		String op = expectation.path("op").asText();
		JsonNode actual = metric(view, metric);
		if (actual.isBoolean() || actual.isTextual()) {
			return actual.asText().equals(expectation.path("value").asText());
		}
		BigDecimal value = actual.decimalValue();
		if (op.equals("between")) {
			return value.compareTo(expectation.path("value").get(0).decimalValue()) >= 0
					&& value.compareTo(expectation.path("value").get(1).decimalValue()) <= 0;
		}
		BigDecimal bound;
		if (expectation.has("scenario")) {
			bound = metric(views.get(expectation.path("scenario").asText()), metric).decimalValue();
		}
		else if (expectation.has("scenarioMetric")) {
			bound = metric(view, expectation.path("scenarioMetric").asText()).decimalValue();
		}
		else if (expectation.has("valueBefore")) {
			bound = trusts.get(types.indexOf(expectation.path("valueBefore").asText()) - 1);
		}
		else if (expectation.has("aboveMinimumBy")) {
			bound = trusts.stream()
				.min(BigDecimal::compareTo)
				.orElseThrow()
				.add(expectation.path("aboveMinimumBy").decimalValue());
		}
		else {
			bound = expectation.path("value").decimalValue();
		}
		int comparison = value.compareTo(bound);
		return op.equals(">") ? comparison > 0 : op.equals("<") && comparison < 0;
	}

	private static JsonNode metric(JsonNode view, String metric) {
		return switch (metric) {
			case "credibility", "reliability", "intimacy", "selfOrientation" -> view.path("components").path(metric);
			default -> view.path(metric);
		};
	}

}
