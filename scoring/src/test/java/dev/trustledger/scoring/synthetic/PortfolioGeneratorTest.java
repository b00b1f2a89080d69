package dev.trustledger.scoring.synthetic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.IncidentEvent;
import dev.trustledger.events.RefersToIncident;
import dev.trustledger.events.cooperation.DecisionMade;
import dev.trustledger.events.cooperation.InformationShared;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.outcome.EngagementEnded;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.events.promise.PromiseKept;
import dev.trustledger.events.promise.PromiseMade;
import dev.trustledger.events.responsibility.BlameDeflected;
import dev.trustledger.events.responsibility.ClientSharedBlame;
import dev.trustledger.events.responsibility.ResponsibilityTaken;
import dev.trustledger.events.sponsor.SponsorGained;
import dev.trustledger.events.sponsor.SponsorLost;
import dev.trustledger.events.outcome.RenewalDecided;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;
import dev.trustledger.scoring.backtest.Backtest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated portfolio is reproducible, believable in size and shape, and hard enough
 * to be informative: the shipped model tells its bad outcomes from its good ones better
 * than a coin and short of perfectly (a perfect score would mean a leak). Writes the
 * back-tests' figures, with the baseline's, to {@code target/backtest/}.
 */
class PortfolioGeneratorTest {

	static final Instant END = Instant.parse("2026-11-30T00:00:00Z");

	static final long SEED = 20261201L;

	@Test
	void theSameSeedGivesTheSamePortfolioAndAnotherSeedAnother() {
		List<PortfolioGenerator.Generated> once = new PortfolioGenerator(SEED, END, 40).generate();
		assertThat(new PortfolioGenerator(SEED, END, 40).generate()).isEqualTo(once);
		assertThat(new PortfolioGenerator(SEED + 1, END, 40).generate()).isNotEqualTo(once);
	}

	@Test
	void threeHundredEngagementsOverThreeYearsNothingAfterTheEndAndOutcomesOfBothKinds() {
		List<PortfolioGenerator.Generated> portfolio = new PortfolioGenerator(SEED, END, 300).generate();
		assertThat(portfolio).hasSize(300);
		long events = 0;
		Instant first = END;
		for (PortfolioGenerator.Generated generated : portfolio) {
			for (Backtest.Recorded recorded : generated.history().events()) {
				events++;
				Instant occurredAt = recorded.event().occurredAt();
				first = occurredAt.isBefore(first) ? occurredAt : first;
				assertThat(occurredAt).isBefore(END);
				assertThat(recorded.recordedAt()).isAfterOrEqualTo(occurredAt).isBeforeOrEqualTo(END);
			}
		}
		assertThat(first).isBefore(END.minus(Duration.ofDays(2 * 365 + 300)));
		assertThat(events).as("dozens of events a year for each engagement").isGreaterThan(300L * 30);
		Map<Object, Long> decisions = portfolio.stream()
			.flatMap((generated) -> generated.history().events().stream())
			.filter((recorded) -> recorded.event() instanceof RenewalDecided)
			.collect(Collectors.groupingBy((recorded) -> ((RenewalDecided) recorded.event()).decision(),
					Collectors.counting()));
		assertThat(decisions).hasSize(4);
		assertThat(portfolio.stream().map(PortfolioGenerator.Generated::client).distinct())
			.hasSize(PortfolioGenerator.Client.values().length);
	}

	/**
	 * The command service records a history one event after another under the
	 * engagement's rules; in recording order, every generated history keeps them: a
	 * promise is settled once and only after it was made, a referenced incident came
	 * before, a sponsor is lost only while there is one and gained only while there is
	 * none, and nothing follows the ending.
	 */
	@Test
	void everyHistoryKeepsTheEngagementsRulesInRecordingOrder() {
		for (PortfolioGenerator.Generated generated : new PortfolioGenerator(SEED, END, 300).generate()) {
			List<Backtest.Recorded> events = generated.history().events();
			assertThat(events.get(0).event()).isInstanceOf(EngagementOpened.class);
			Set<String> open = new HashSet<>();
			Set<String> incidents = new HashSet<>();
			boolean sponsored = ((EngagementOpened) events.get(0).event()).sponsor() != null;
			Instant recorded = Instant.MIN;
			for (int i = 1; i < events.size(); i++) {
				EngagementEvent event = events.get(i).event();
				String where = generated.engagementId() + " event " + i + " " + event;
				assertThat(events.get(i).recordedAt()).as(where).isAfterOrEqualTo(recorded);
				recorded = events.get(i).recordedAt();
				assertThat(events.get(i - 1).event()).as(where).isNotInstanceOf(EngagementEnded.class);
				if (event instanceof PromiseMade made) {
					assertThat(open.add(made.promiseId())).as(where).isTrue();
				}
				if (event instanceof PromiseKept kept) {
					assertThat(open.remove(kept.promiseId())).as(where).isTrue();
				}
				if (event instanceof PromiseBroken broken) {
					assertThat(open.remove(broken.promiseId())).as(where).isTrue();
				}
				String reference = (event instanceof RefersToIncident reply) ? reply.incidentRef() : null;
				if (reference != null) {
					assertThat(incidents).as(where).contains(reference);
				}
				if (event instanceof SponsorLost) {
					assertThat(sponsored).as(where).isTrue();
					sponsored = false;
				}
				if (event instanceof SponsorGained) {
					assertThat(sponsored).as(where).isFalse();
					sponsored = true;
				}
				if (event instanceof IncidentEvent incident) {
					assertThat(incidents.add(incident.incidentId())).as(where).isTrue();
				}
			}
		}
	}

	@Test
	void theShippedModelAndTheCandidateAreInformativeOnItButNotPerfect() throws IOException {
		List<Backtest.History> histories = new PortfolioGenerator(SEED, END, 300).generate()
			.stream()
			.map(PortfolioGenerator.Generated::history)
			.toList();
		ScoringEngine v1 = new ScoringEngine(ScoringModel.defaultModel());
		ScoringEngine v2;
		try (java.io.InputStream in = Files.newInputStream(Path.of("..", "seeds", "models", "v2.yaml"))) {
			v2 = new ScoringEngine(ScoringModel.read(in));
		}
		long events = histories.stream().mapToLong((history) -> history.events().size()).sum();
		StringBuilder figures = new StringBuilder("Back-tests on the generated portfolio (seed " + SEED
				+ ", 300 engagements, " + events + " events, to " + END + ")\n");
		for (ScoringEngine engine : List.of(v1, v2)) {
			figures.append("model ").append(engine.model().version()).append('\n');
			for (int days : new int[] { 30, 60, 90 }) {
				backtest(engine, histories, days, figures);
			}
		}
		Path out = Path.of("target", "backtest");
		Files.createDirectories(out);
		Files.writeString(out.resolve("generated-portfolio.txt"), figures);
		System.out.print(figures);
	}

	private static void backtest(ScoringEngine engine, List<Backtest.History> histories, int days,
			StringBuilder figures) {
		Backtest.Report report = Backtest.run(engine, histories, Duration.ofDays(days), Backtest.SEED);
		figures
			.append(String.format(java.util.Locale.ROOT, "horizon %d d: %d outcomes (%d bad, %d good, %d unscored)%n",
					days, report.outcomes(), report.bad(), report.good(), report.unscored()));
		report.predictors()
			.forEach((name, predictor) -> figures.append(String.format(java.util.Locale.ROOT,
					"  %-22s AUC %.3f (%.3f-%.3f)  less the baseline's (%.3f, %.3f)  lift %.2f  by kind %s%n", name,
					predictor.auc(), predictor.aucLow(), predictor.aucHigh(), predictor.versusBaselineLow(),
					predictor.versusBaselineHigh(), predictor.topDecileLift(), predictor.aucByKind())));
		figures.append(String.format(java.util.Locale.ROOT,
				"  calibration %s%n  bad outcomes healthy at the horizon %.3f; median days at risk before a bad outcome %s (%d were not at risk)%n",
				report.calibration(), report.healthyShare(), report.medianLeadDays(), report.neverAtRisk()));
		if (days == 60) {
			double auc = report.predictors().get("trust").auc();
			assertThat(report.bad()).isGreaterThan(30);
			assertThat(report.good()).isGreaterThan(30);
			assertThat(auc).as("better than a coin, short of a leak").isGreaterThan(0.55).isLessThan(0.95);
		}
	}

}
