package dev.trustledger.scoring.backtest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.outcome.ClientEscalated;
import dev.trustledger.events.outcome.EngagementEnded;
import dev.trustledger.events.outcome.RenewalDecided;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.scoring.Band;
import dev.trustledger.scoring.ScorableEvent;
import dev.trustledger.scoring.ScorePoint;
import dev.trustledger.scoring.ScoringEngine;

/**
 * How well a model's scores, taken a horizon before each outcome and as they were known
 * then, told the bad outcomes from the good ones. Every outcome is scored from the events
 * that had occurred <em>and</em> been recorded by that date, outcomes excluded (they are
 * labels, and the engine gives them no weight either), so nothing recorded later, and
 * least of all the outcome, informs the score it is judged by.
 * <p>
 * Bad outcomes: not renewed, renewed with less scope, ended by the client, an escalation
 * to the vendor's leadership. Good: renewed, renewed with more scope, completed as
 * agreed. An engagement the vendor ended is neither, and is left out. Beside trust and
 * mutual responsibility, a naive baseline (the broken promises of the 180 days before)
 * that the model has to beat. Pure: a function of the histories, the model and a seed.
 */
public final class Backtest {

	/** How far back the baseline counts broken promises. */
	public static final Duration BASELINE_WINDOW = Duration.ofDays(180);

	/** How many of the biggest misses of each kind are listed. */
	static final int MISSES = 10;

	static final int BOOTSTRAP_ROUNDS = 1_000;

	private Backtest() {
	}

	/**
	 * The bootstrap's seed wherever a back-test is published (the API, the CLI, the
	 * figures in docs/scoring.md), so that the same histories give the same intervals
	 * everywhere.
	 */
	public static final long SEED = 20261201L;

	/**
	 * The histories are taken in the order of their engagement ids, whatever order they
	 * come in, so that the same histories and seed give the same report.
	 */
	public static Report run(ScoringEngine engine, List<History> histories, Duration horizon, long seed) {
		List<Observation> observations = new ArrayList<>();
		int unscored = 0;
		List<History> inOrder = new ArrayList<>(histories);
		inOrder.sort(java.util.Comparator.comparing(History::engagementId));
		for (History history : inOrder) {
			for (Recorded recorded : history.events()) {
				String kind = outcomeKind(recorded.event());
				if (kind == null || verdict(kind) == null || retracted(history, recorded)) {
					continue;
				}
				Instant outcomeAt = recorded.event().occurredAt();
				Instant at = outcomeAt.minus(horizon);
				List<ScorableEvent> known = knownAt(history, at);
				if (known.isEmpty()) {
					unscored++;
					continue;
				}
				ScoringEngine.Scores scores = engine.scoresAt(known, at);
				boolean bad = verdict(kind);
				observations.add(new Observation(history.engagementId(), kind, bad, outcomeAt,
						scores.trustPoints().doubleValue(), scores.mutualPoints().doubleValue(), scores.band(),
						brokenPromises(known, at), bad ? leadTime(engine, history, outcomeAt) : null));
			}
		}
		Map<String, Predictor> predictors = new LinkedHashMap<>();
		java.util.function.ToDoubleFunction<Observation> baseline = (o) -> o.brokenPromises();
		predictors.put("trust", predictor(observations, (o) -> 100 - o.trust(), baseline, seed));
		predictors.put("mutualResponsibility", predictor(observations, (o) -> 100 - o.mutual(), baseline, seed));
		predictors.put("brokenPromises180d", predictor(observations, baseline, baseline, seed));
		Map<String, BandRate> calibration = new LinkedHashMap<>();
		for (Band band : Band.values()) {
			List<Observation> in = observations.stream().filter((o) -> o.band() == band).toList();
			long bad = in.stream().filter(Observation::bad).count();
			calibration.put(band.name(),
					new BandRate(in.size(), bad, in.isEmpty() ? Double.NaN : (double) bad / in.size()));
		}
		List<Observation> bad = observations.stream().filter(Observation::bad).toList();
		double healthyShare = bad.isEmpty() ? Double.NaN
				: (double) bad.stream().filter((o) -> o.band() == Band.HEALTHY).count() / bad.size();
		List<Long> leads = bad.stream()
			.map(Observation::leadTime)
			.filter(java.util.Objects::nonNull)
			.map(Duration::toDays)
			.sorted()
			.toList();
		Double medianLeadDays = leads.isEmpty() ? null : (leads.size() % 2 == 1) ? (double) leads.get(leads.size() / 2)
				: (leads.get(leads.size() / 2 - 1) + leads.get(leads.size() / 2)) / 2.0;
		List<Observation> missedBad = bad.stream()
			.sorted(Comparator.comparingDouble(Observation::trust).reversed().thenComparing(Observation::engagementId))
			.limit(MISSES)
			.toList();
		List<Observation> missedGood = observations.stream()
			.filter((o) -> !o.bad())
			.sorted(Comparator.comparingDouble(Observation::trust).thenComparing(Observation::engagementId))
			.limit(MISSES)
			.toList();
		long badCount = bad.size();
		return new Report(engine.model().version(), horizon, observations.size(), badCount,
				observations.size() - badCount, unscored, predictors, calibration, healthyShare, medianLeadDays,
				bad.size() - leads.size(), missedBad, missedGood);
	}

	private static Predictor predictor(List<Observation> observations,
			java.util.function.ToDoubleFunction<Observation> risk,
			java.util.function.ToDoubleFunction<Observation> baseline, long seed) {
		List<Discrimination.Scored> all = observations.stream()
			.map((o) -> new Discrimination.Scored(risk.applyAsDouble(o), o.bad()))
			.toList();
		Map<String, Double> byKind = new LinkedHashMap<>();
		for (String kind : List.of("NOT_RENEWED", "CONTRACTED", "ENDED_BY_CLIENT", "ESCALATED")) {
			List<Discrimination.Scored> versusGood = observations.stream()
				.filter((o) -> !o.bad() || o.kind().equals(kind))
				.map((o) -> new Discrimination.Scored(risk.applyAsDouble(o), o.bad()))
				.toList();
			byKind.put(kind, Discrimination.auc(versusGood));
		}
		// resampled by engagement: an engagement's outcomes share its facts
		Map<String, List<Discrimination.Scored>> clusters = new LinkedHashMap<>();
		Map<String, List<Discrimination.Scored>> baselineClusters = new LinkedHashMap<>();
		for (Observation o : observations) {
			clusters.computeIfAbsent(o.engagementId(), (id) -> new ArrayList<>())
				.add(new Discrimination.Scored(risk.applyAsDouble(o), o.bad()));
			baselineClusters.computeIfAbsent(o.engagementId(), (id) -> new ArrayList<>())
				.add(new Discrimination.Scored(baseline.applyAsDouble(o), o.bad()));
		}
		double[][] intervals = Discrimination.bootstrap(new ArrayList<>(clusters.values()),
				new ArrayList<>(baselineClusters.values()), BOOTSTRAP_ROUNDS, seed);
		return new Predictor(Discrimination.auc(all), intervals[0][0], intervals[0][1], intervals[1][0],
				intervals[1][1], byKind, Discrimination.topDecileLift(all), Discrimination.roc(all));
	}

	/**
	 * The events that had occurred and been recorded by {@code at}, outcomes left out, in
	 * the engine's terms.
	 */
	static List<ScorableEvent> knownAt(History history, Instant at) {
		List<ScorableEvent> known = new ArrayList<>();
		for (Recorded recorded : history.events()) {
			EngagementEvent event = recorded.event();
			if (outcomeKind(event) == null && !event.occurredAt().isAfter(at) && !recorded.recordedAt().isAfter(at)) {
				known.add(new ScorableEvent(recorded.sequence(), recorded.eventId(), event));
			}
		}
		return known;
	}

	private static int brokenPromises(List<ScorableEvent> known, Instant at) {
		Instant from = at.minus(BASELINE_WINDOW);
		return (int) known.stream()
			.filter((scorable) -> scorable.event() instanceof PromiseBroken
					&& scorable.event().occurredAt().isAfter(from))
			.count();
	}

	/**
	 * How long before the outcome the engagement had been at risk as its team saw it:
	 * from the recording that last put its trust in the at-risk band, as the scores stood
	 * on what had been recorded by then, to the outcome; {@code null} if it was not at
	 * risk when the outcome came. A backdated event moves the band only from when it was
	 * recorded, never earlier.
	 */
	private static Duration leadTime(ScoringEngine engine, History history, Instant outcomeAt) {
		List<Recorded> inRecordingOrder = new ArrayList<>();
		for (Recorded recorded : history.events()) {
			if (outcomeKind(recorded.event()) == null && !recorded.recordedAt().isAfter(outcomeAt)
					&& !recorded.event().occurredAt().isAfter(outcomeAt)) {
				inRecordingOrder.add(recorded);
			}
		}
		inRecordingOrder.sort(Comparator.comparing(Recorded::recordedAt).thenComparingLong(Recorded::sequence));
		ScoringEngine.Timeline timeline = engine.timeline();
		Instant since = null;
		for (Recorded recorded : inRecordingOrder) {
			timeline.add(new ScorableEvent(recorded.sequence(), recorded.eventId(), recorded.event()));
			List<ScorePoint> points = timeline.points();
			boolean atRisk = points.get(points.size() - 1).band() == Band.AT_RISK;
			if (atRisk && since == null) {
				since = recorded.recordedAt();
			}
			else if (!atRisk) {
				since = null;
			}
		}
		return (since != null) ? Duration.between(since, outcomeAt) : null;
	}

	/**
	 * Whether an ending was taken back: the engagement was reopened after it. Only the
	 * ending is left out; renewals and escalations stand.
	 */
	private static boolean retracted(History history, Recorded outcome) {
		if (!(outcome.event() instanceof EngagementEnded)) {
			return false;
		}
		return history.events()
			.stream()
			.anyMatch((recorded) -> recorded.event() instanceof dev.trustledger.events.engagement.EngagementReopened
					&& recorded.sequence() > outcome.sequence());
	}

	/**
	 * The kind of an outcome event ({@code ESCALATED} for an escalation, the decision or
	 * the ending otherwise), {@code null} for evidence.
	 */
	static String outcomeKind(EngagementEvent event) {
		if (event instanceof RenewalDecided decided) {
			return decided.decision().name();
		}
		if (event instanceof EngagementEnded ended) {
			return ended.ending().name();
		}
		if (event instanceof ClientEscalated) {
			return "ESCALATED";
		}
		return null;
	}

	/** Whether an outcome of this kind is bad; {@code null} for one that is neither. */
	static Boolean verdict(String kind) {
		return switch (kind) {
			case "NOT_RENEWED", "CONTRACTED", "ENDED_BY_CLIENT", "ESCALATED" -> true;
			case "RENEWED", "EXPANDED", "COMPLETED_AS_AGREED" -> false;
			default -> null;
		};
	}

	/** One engagement's events as recorded, outcomes included. */
	public record History(String engagementId, List<Recorded> events) {
	}

	/** An event with its sequence, id and when it was recorded. */
	public record Recorded(long sequence, String eventId, EngagementEvent event, Instant recordedAt) {
	}

	/**
	 * One outcome and how its engagement stood a horizon before it, as known then.
	 *
	 * @param leadTime from first entering the at-risk band to the outcome, {@code null}
	 * if it never did
	 */
	public record Observation(String engagementId, String kind, boolean bad, Instant outcomeAt, double trust,
			double mutual, Band band, int brokenPromises, Duration leadTime) {
	}

	/**
	 * How one predictor discriminated.
	 *
	 * @param auc over every outcome; {@code NaN} without both kinds
	 * @param aucLow the bootstrap interval's lower end (95 %, engagements resampled)
	 * @param aucHigh its upper end
	 * @param versusBaselineLow the lower end of the interval of this AUC less the
	 * baseline's, over the same resamples
	 * @param versusBaselineHigh its upper end
	 * @param aucByKind each kind of bad outcome against every good one
	 * @param topDecileLift the bad rate of the riskiest tenth over the overall rate
	 * @param roc the curve: false-positive rate, true-positive rate
	 */
	public record Predictor(double auc, double aucLow, double aucHigh, double versusBaselineLow,
			double versusBaselineHigh, Map<String, Double> aucByKind, double topDecileLift, List<double[]> roc) {
	}

	/** The outcomes scored in one band, and how many were bad. */
	public record BandRate(long outcomes, long bad, double badRate) {
	}

	/**
	 * @param unscored outcomes whose engagement had nothing known a horizon before them
	 * @param healthyShare the share of bad outcomes whose engagement was healthy at the
	 * horizon
	 * @param medianLeadDays the median days a bad outcome's engagement had been at risk,
	 * as its team saw it, when the outcome came
	 * @param neverAtRisk bad outcomes whose engagement was not at risk when they came
	 * @param missedBad the bad outcomes that looked healthiest, highest trust first
	 * @param missedGood the good outcomes that looked worst, lowest trust first
	 */
	public record Report(String model, Duration horizon, int outcomes, long bad, long good, int unscored,
			Map<String, Predictor> predictors, Map<String, BandRate> calibration, double healthyShare,
			Double medianLeadDays, long neverAtRisk, List<Observation> missedBad, List<Observation> missedGood) {
	}

}
