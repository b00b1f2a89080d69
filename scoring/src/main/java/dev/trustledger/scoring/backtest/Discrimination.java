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
	 * The 2.5th and 97.5th percentiles of the AUC over {@code rounds} resamples of the
	 * observations with replacement; a resample without both kinds is drawn again.
	 */
	public static double[] bootstrap(List<Scored> observations, int rounds, long seed) {
		if (Double.isNaN(auc(observations))) {
			return new double[] { Double.NaN, Double.NaN };
		}
		SplittableRandom random = new SplittableRandom(seed);
		double[] aucs = new double[rounds];
		int n = observations.size();
		for (int round = 0; round < rounds; round++) {
			double value;
			do {
				List<Scored> resample = new ArrayList<>(n);
				for (int k = 0; k < n; k++) {
					resample.add(observations.get(random.nextInt(n)));
				}
				value = auc(resample);
			}
			while (Double.isNaN(value));
			aucs[round] = value;
		}
		Arrays.sort(aucs);
		return new double[] { percentile(aucs, 0.025), percentile(aucs, 0.975) };
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
	 * divided by the rate among all; {@code NaN} without a bad outcome.
	 */
	public static double topDecileLift(List<Scored> observations) {
		long bad = observations.stream().filter(Scored::bad).count();
		if (bad == 0) {
			return Double.NaN;
		}
		List<Scored> sorted = new ArrayList<>(observations);
		sorted.sort(Comparator.comparingDouble(Scored::risk).reversed());
		int decile = Math.max(1, (int) Math.ceil(sorted.size() / 10.0));
		long badInDecile = sorted.subList(0, decile).stream().filter(Scored::bad).count();
		return ((double) badInDecile / decile) / ((double) bad / observations.size());
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
