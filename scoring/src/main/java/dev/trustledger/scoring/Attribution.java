package dev.trustledger.scoring;

import java.util.function.ToDoubleFunction;

/**
 * Splits a score's change among its inputs with Shapley values: each input's share is its
 * average marginal effect over every order in which the inputs could have changed, so the
 * split does not depend on an arbitrary order. Shares are rounded to hundredths of a
 * point and the rounding remainder goes to the largest share, so that they add up exactly
 * to the change of the rounded score.
 */
final class Attribution {

	private Attribution() {
	}

	/**
	 * The Shapley value of each input, from the score of every subset of inputs that has
	 * changed (2^n evaluations, where going through every order would take (n + 1) * n!):
	 * an input's share is the sum, over the subsets S without it, of its marginal effect
	 * v(S + i) - v(S) weighted by |S|! (n - |S| - 1)! / n!, the fraction of orders in
	 * which exactly S changed before it.
	 */
	static long[] shares(ToDoubleFunction<double[]> score, double[] from, double[] to, long change) {
		int n = from.length;
		int subsets = 1 << n;
		double[] value = new double[subsets];
		double[] inputs = new double[n];
		for (int subset = 0; subset < subsets; subset++) {
			for (int i = 0; i < n; i++) {
				inputs[i] = ((subset & (1 << i)) != 0) ? to[i] : from[i];
			}
			value[subset] = score.applyAsDouble(inputs);
		}
		double[] weight = new double[n];
		for (int size = 0; size < n; size++) {
			weight[size] = factorial(size) * factorial(n - size - 1) / factorial(n);
		}
		double[] shapley = new double[n];
		for (int i = 0; i < n; i++) {
			int input = 1 << i;
			for (int subset = 0; subset < subsets; subset++) {
				if ((subset & input) == 0) {
					shapley[i] += weight[Integer.bitCount(subset)] * (value[subset | input] - value[subset]);
				}
			}
		}
		long[] shares = new long[n];
		long sum = 0;
		int largest = 0;
		for (int i = 0; i < n; i++) {
			shares[i] = ScoringEngine.hundredths(shapley[i]);
			sum += shares[i];
			if (StrictMath.abs(shapley[i]) > StrictMath.abs(shapley[largest])) {
				largest = i;
			}
		}
		shares[largest] += change - sum;
		return shares;
	}

	private static double factorial(int n) {
		double result = 1;
		for (int i = 2; i <= n; i++) {
			result *= i;
		}
		return result;
	}

}
