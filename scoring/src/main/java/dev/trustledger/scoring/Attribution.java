package dev.trustledger.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Splits a score's change among its inputs with Shapley values: each input's share is its
 * average marginal effect over every order in which the inputs could have changed, so the
 * split does not depend on an arbitrary order. Shares are rounded to hundredths of a
 * point and the rounding remainder goes to the largest share, so that they add up exactly
 * to the change of the rounded score.
 */
final class Attribution {

	/** Every order of n inputs, worked out once for the sizes the models use. */
	private static final List<List<int[]>> ORDERS = java.util.stream.IntStream.rangeClosed(0, 6)
		.mapToObj(Attribution::permutations)
		.toList();

	private Attribution() {
	}

	static long[] shares(ToDoubleFunction<double[]> score, double[] from, double[] to, long change) {
		int n = from.length;
		double[] shapley = new double[n];
		List<int[]> orders = (n < ORDERS.size()) ? ORDERS.get(n) : permutations(n);
		for (int[] order : orders) {
			double[] inputs = from.clone();
			double before = score.applyAsDouble(inputs);
			for (int index : order) {
				inputs[index] = to[index];
				double after = score.applyAsDouble(inputs);
				shapley[index] += after - before;
				before = after;
			}
		}
		long[] shares = new long[n];
		long sum = 0;
		int largest = 0;
		for (int i = 0; i < n; i++) {
			shapley[i] /= orders.size();
			shares[i] = ScoringEngine.hundredths(shapley[i]);
			sum += shares[i];
			if (StrictMath.abs(shapley[i]) > StrictMath.abs(shapley[largest])) {
				largest = i;
			}
		}
		shares[largest] += change - sum;
		return shares;
	}

	private static List<int[]> permutations(int n) {
		List<int[]> result = new ArrayList<>();
		permute(new int[n], new boolean[n], 0, result);
		return List.copyOf(result);
	}

	private static void permute(int[] current, boolean[] used, int position, List<int[]> result) {
		if (position == current.length) {
			result.add(current.clone());
			return;
		}
		for (int i = 0; i < current.length; i++) {
			if (!used[i]) {
				used[i] = true;
				current[position] = i;
				permute(current, used, position + 1, result);
				used[i] = false;
			}
		}
	}

}
