package dev.trustledger.scoring.backtest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How well a risk score separates bad outcomes from good ones, from scored observations
 * alone: the area under the ROC curve with a bootstrap interval, the curve itself, and
 * the lift of the riskiest decile. Pure: a seed, never the wall clock or a shared random
 * source.
 */
public final class Discrimination {

	private Discrimination() {
	}

	/**
	 * The probability that a bad outcome had a higher risk than a good one, ties counting
	 * half (the Mann–Whitney form of the ROC AUC); {@code NaN} without both kinds.
	 */
	public static double auc(List<Scored> observations) {
		long bad = observations.stream().filter(Scored::bad).count();
		long good = observations.size() - bad;
		if (bad == 0 || good == 0) {
			return Double.NaN;
		}
		// ranks of the risks, ties sharing their average rank
		Scored[] sorted = observations.toArray(Scored[]::new);
		Arrays.sort(sorted, Comparator.comparingDouble(Scored::risk));
		double badRanks = 0;
		int i = 0;
		while (i < sorted.length) {
			int j = i;
			while (j + 1 < sorted.length && sorted[j + 1].risk() == sorted[i].risk()) {
				j++;
			}
			double rank = (i + j) / 2.0 + 1;
			for (int k = i; k <= j; k++) {
				if (sorted[k].bad()) {
					badRanks += rank;
				}
			}
			i = j + 1;
		}
		return (badRanks - bad * (bad + 1) / 2.0) / ((double) bad * good);
	}

	/**
	 * The 2.5th and 97.5th percentiles of the AUC over {@code rounds} resamples of whole
	 * clusters (an engagement's outcomes, which share its facts) with replacement; a
	 * resample without both kinds is drawn again.
	 */
	public static double[] bootstrap(List<List<Scored>> clusters, int rounds, long seed) {
		double[][] both = bootstrap(clusters, clusters, rounds, seed);
		return both[0];
	}

	/**
	 * The bootstrap intervals of one predictor's AUC and of its difference from
	 * another's, over the same resamples of clusters: {@code [[low, high], [low, high]]}.
	 * The two lists hold the same outcomes in the same clusters, scored by each
	 * predictor.
	 */
	public static double[][] bootstrap(List<List<Scored>> clusters, List<List<Scored>> other, int rounds, long seed) {
		List<Scored> all = clusters.stream().flatMap(List::stream).toList();
		if (Double.isNaN(auc(all))) {
			return new double[][] { { Double.NaN, Double.NaN }, { Double.NaN, Double.NaN } };
		}
		SplittableRandom random = new SplittableRandom(seed);
		double[] aucs = new double[rounds];
		double[] differences = new double[rounds];
		int n = clusters.size();
		for (int round = 0; round < rounds; round++) {
			double value;
			double versus;
			do {
				List<Scored> resample = new ArrayList<>();
				List<Scored> otherResample = new ArrayList<>();
				for (int k = 0; k < n; k++) {
					int drawn = random.nextInt(n);
					resample.addAll(clusters.get(drawn));
					otherResample.addAll(other.get(drawn));
				}
				value = auc(resample);
				versus = auc(otherResample);
			}
			while (Double.isNaN(value) || Double.isNaN(versus));
			aucs[round] = value;
			differences[round] = value - versus;
		}
		Arrays.sort(aucs);
		Arrays.sort(differences);
		return new double[][] { { percentile(aucs, 0.025), percentile(aucs, 0.975) },
				{ percentile(differences, 0.025), percentile(differences, 0.975) } };
	}

	/**
	 * The ROC curve: from (0, 0) to (1, 1), one point per distinct risk, taking every
	 * observation at or above it as flagged.
	 */
	public static List<double[]> roc(List<Scored> observations) {
		long bad = observations.stream().filter(Scored::bad).count();
		long good = observations.size() - bad;
		List<double[]> curve = new ArrayList<>();
		curve.add(new double[] { 0, 0 });
		if (bad == 0 || good == 0) {
			return curve;
		}
		Scored[] sorted = observations.toArray(Scored[]::new);
		Arrays.sort(sorted, Comparator.comparingDouble(Scored::risk).reversed());
		long flaggedBad = 0;
		long flaggedGood = 0;
		for (int i = 0; i < sorted.length; i++) {
			if (sorted[i].bad()) {
				flaggedBad++;
			}
			else {
				flaggedGood++;
			}
			if (i + 1 == sorted.length || sorted[i + 1].risk() != sorted[i].risk()) {
				curve.add(new double[] { (double) flaggedGood / good, (double) flaggedBad / bad });
			}
		}
		return curve;
	}

	/**
	 * The bad-outcome rate among the riskiest tenth of the observations (at least one),
	 * divided by the rate among all; {@code NaN} without a bad outcome. A group of equal
	 * risks that the tenth's boundary cuts through counts at its own bad rate, so that
	 * the order ties come in does not matter.
	 */
	public static double topDecileLift(List<Scored> observations) {
		long bad = observations.stream().filter(Scored::bad).count();
		if (bad == 0) {
			return Double.NaN;
		}
		List<Scored> sorted = new ArrayList<>(observations);
		sorted.sort(Comparator.comparingDouble(Scored::risk).reversed());
		int decile = Math.max(1, (int) Math.ceil(sorted.size() / 10.0));
		double badInDecile = 0;
		int taken = 0;
		int i = 0;
		while (taken < decile) {
			int j = i;
			while (j + 1 < sorted.size() && sorted.get(j + 1).risk() == sorted.get(i).risk()) {
				j++;
			}
			int group = j - i + 1;
			long groupBad = sorted.subList(i, j + 1).stream().filter(Scored::bad).count();
			int share = Math.min(group, decile - taken);
			badInDecile += share * ((double) groupBad / group);
			taken += share;
			i = j + 1;
		}
		return (badInDecile / decile) / ((double) bad / observations.size());
	}

	private static double percentile(double[] sorted, double p) {
		double index = p * (sorted.length - 1);
		int below = (int) Math.floor(index);
		int above = (int) Math.ceil(index);
		return sorted[below] + (sorted[above] - sorted[below]) * (index - below);
	}

	/** One outcome, the risk its engagement was scored with, and whether it was bad. */
	public record Scored(double risk, boolean bad) {
	}

}
