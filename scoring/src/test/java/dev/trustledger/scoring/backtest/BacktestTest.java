package dev.trustledger.scoring.backtest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.Party;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.outcome.EngagementEnded;
import dev.trustledger.events.outcome.Ending;
import dev.trustledger.events.outcome.RenewalDecided;
import dev.trustledger.events.outcome.RenewalDecision;
import dev.trustledger.events.partnership.StoodByPartner;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.scoring.ScorableEvent;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A back-test over five small engagements whose answers follow by hand: one that broke
 * promises and was not renewed, one that stood by its client and was renewed, one whose
 * broken promises were recorded only after the horizon date (so not known then), one the
 * vendor ended (neither good nor bad) and one whose outcome came before anything was
 * known a horizon earlier.
 */
class BacktestTest {

	private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	private static final Duration HORIZON = Duration.ofDays(30);

	private final ScoringEngine engine = new ScoringEngine(ScoringModel.defaultModel());

	@Test
	void scoresEachOutcomeAHorizonBeforeItAsKnownThenAndNeverWithItsOwnLabel() {
		Backtest.History broken = history("broken", (events) -> {
			for (int day = 10; day <= 12; day++) {
				events.add(recorded(
						new PromiseBroken("broken", "b" + day, null, Party.VENDOR, 5, "missed", day(day), "alice"),
						day(day)));
			}
			events.add(recorded(new RenewalDecided("broken", "o", RenewalDecision.NOT_RENEWED, null, day(100), "alice"),
					day(100)));
		});
		Backtest.History loyal = history("loyal", (events) -> {
			for (int day = 10; day <= 12; day++) {
				events
					.add(recorded(new StoodByPartner("loyal", "s" + day, Party.VENDOR, 5, "stayed", day(day), "alice"),
							day(day)));
			}
			events.add(recorded(new RenewalDecided("loyal", "o", RenewalDecision.RENEWED, null, day(100), "alice"),
					day(100)));
		});
		// broke as many promises, recorded on day 90: after the horizon date (day 70)
		Backtest.History late = history("late", (events) -> {
			for (int day = 10; day <= 12; day++) {
				events.add(recorded(
						new PromiseBroken("late", "b" + day, null, Party.VENDOR, 5, "missed", day(day), "alice"),
						day(90)));
			}
			events.add(recorded(new EngagementEnded("late", "o", Ending.ENDED_BY_CLIENT, null, day(100), "alice"),
					day(100)));
		});
		Backtest.History vendorEnded = history("vendor-ended",
				(events) -> events.add(recorded(
						new EngagementEnded("vendor-ended", "o", Ending.ENDED_BY_VENDOR, null, day(100), "alice"),
						day(100))));
		Backtest.History early = history("early", (events) -> events
			.add(recorded(new RenewalDecided("early", "o", RenewalDecision.RENEWED, null, day(10), "alice"), day(10))));

		Backtest.Report report = Backtest.run(this.engine, List.of(broken, loyal, late, vendorEnded, early), HORIZON,
				42L);

		assertThat(report.outcomes()).as("the vendor's ending is neither; the early one unscored").isEqualTo(3);
		assertThat(report.bad()).isEqualTo(2);
		assertThat(report.good()).isEqualTo(1);
		assertThat(report.unscored()).isEqualTo(1);
		Backtest.Observation lateOne = observation(report, "late");
		ScoringEngine.Scores fresh = this.engine.scoresAt(List.of(new ScorableEvent(0, "opened", opened("late"))),
				day(70));
		assertThat(lateOne.trust()).as("what was recorded after day 70 is not known on day 70")
			.isEqualTo(fresh.trustPoints().doubleValue());
		assertThat(lateOne.brokenPromises()).isZero();
		// at risk, if at all, only from when the breaches were recorded (day 90), not
		// from
		// when they occurred
		assertThat(lateOne.leadTime()).satisfiesAnyOf((lead) -> assertThat(lead).isNull(),
				(lead) -> assertThat(lead).isLessThanOrEqualTo(Duration.ofDays(10)));
		assertThat(observation(report, "loyal").leadTime()).as("only bad outcomes are timed").isNull();
		assertThat(observation(report, "broken").brokenPromises()).isEqualTo(3);

		// trust: the broken engagement below the fresh one below the loyal one; both bad
		// below the good one, so every pair is ordered right
		assertThat(observation(report, "broken").trust()).isLessThan(lateOne.trust());
		assertThat(lateOne.trust()).isLessThan(observation(report, "loyal").trust());
		assertThat(report.predictors().get("trust").auc()).isEqualTo(1.0);
		// the baseline: broken (3) above loyal (0), late (0) tied with loyal: 1.5 of 2
		assertThat(report.predictors().get("brokenPromises180d").auc()).isEqualTo(0.75);
		assertThat(report.predictors().get("trust").aucByKind()).containsEntry("NOT_RENEWED", 1.0)
			.containsEntry("ENDED_BY_CLIENT", 1.0);
		assertThat(report.predictors().get("trust").aucByKind().get("CONTRACTED")).isNaN();

		long calibrated = report.calibration().values().stream().mapToLong(Backtest.BandRate::outcomes).sum();
		assertThat(calibrated).isEqualTo(3);
		assertThat(report.calibration().values().stream().mapToLong(Backtest.BandRate::bad).sum()).isEqualTo(2);
		assertThat(report.missedBad()).extracting(Backtest.Observation::engagementId)
			.as("the bad outcome that looked healthiest first")
			.containsExactly("late", "broken");
		assertThat(report.missedGood()).extracting(Backtest.Observation::engagementId).containsExactly("loyal");
	}

	private Backtest.Observation observation(Backtest.Report report, String engagementId) {
		List<Backtest.Observation> all = new ArrayList<>(report.missedBad());
		all.addAll(report.missedGood());
		return all.stream().filter((o) -> o.engagementId().equals(engagementId)).findFirst().orElseThrow();
	}

	private static Backtest.History history(String id, java.util.function.Consumer<List<Backtest.Recorded>> more) {
		List<Backtest.Recorded> events = new ArrayList<>();
		events.add(recorded(opened(id), T0));
		more.accept(events);
		List<Backtest.Recorded> numbered = new ArrayList<>();
		for (Backtest.Recorded recorded : events) {
			numbered.add(new Backtest.Recorded(numbered.size(), id + "-" + numbered.size(), recorded.event(),
					recorded.recordedAt()));
		}
		return new Backtest.History(id, numbered);
	}

	private static EngagementOpened opened(String id) {
		return new EngagementOpened(id, "Client", "Team", "Lead", "Sponsor", T0, "alice");
	}

	private static Backtest.Recorded recorded(EngagementEvent event, Instant recordedAt) {
		return new Backtest.Recorded(0, null, event, recordedAt);
	}

	private static Instant day(int day) {
		return T0.plus(Duration.ofDays(day));
	}

}
