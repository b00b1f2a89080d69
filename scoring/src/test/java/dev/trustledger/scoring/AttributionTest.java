package dev.trustledger.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AttributionTest {

	private final ScoringEngine engine = new ScoringEngine(ScoringModel.defaultModel());

	@Test
	void anAdditiveScoreIsSplitIntoEachInputsOwnChange() {
		ToDoubleFunction<double[]> sum = (inputs) -> 100 * (inputs[0] + inputs[1] + inputs[2]);
		long[] shares = Attribution.shares(sum, new double[] { 0.1, 0.2, 0.3 }, new double[] { 0.15, 0.1, 0.3 }, -5_00);
		assertThat(shares).containsExactly(5_00, -10_00, 0);
	}

	@Test
	void aProductSplitsTheInteractionEvenly() {
		// 100 * x * y from (1, 1) to (2, 3): 500 points, of which x alone 100, y alone
		// 200,
		// and the interaction 200 shared half and half
		ToDoubleFunction<double[]> product = (inputs) -> 100 * inputs[0] * inputs[1];
		long[] shares = Attribution.shares(product, new double[] { 1, 1 }, new double[] { 2, 3 }, 500_00);
		assertThat(shares).containsExactly(200_00, 300_00);
	}

	@Test
	void agreesWithTheAverageOverEveryOrderForTheModelsOwnScores() {
		Random random = new Random(5);
		for (int run = 0; run < 2_000; run++) {
			double[] from = randomInputs(random, 4);
			double[] to = randomInputs(random, 4);
			long change = ScoringEngine.hundredths(this.engine.trust(to))
					- ScoringEngine.hundredths(this.engine.trust(from));
			long[] shares = Attribution.shares(this.engine::trust, from, to, change);
			assertThat(shares).containsExactly(byEveryOrder(this.engine::trust, from, to, change));
			assertThat(java.util.Arrays.stream(shares).sum()).isEqualTo(change);

			double[] sidesFrom = randomInputs(random, 2);
			double[] sidesTo = randomInputs(random, 2);
			long mutualChange = ScoringEngine.hundredths(ScoringEngine.mutual(sidesTo))
					- ScoringEngine.hundredths(ScoringEngine.mutual(sidesFrom));
			assertThat(Attribution.shares(ScoringEngine::mutual, sidesFrom, sidesTo, mutualChange))
				.containsExactly(byEveryOrder(ScoringEngine::mutual, sidesFrom, sidesTo, mutualChange));
		}
	}

	private static double[] randomInputs(Random random, int n) {
		double[] inputs = new double[n];
		for (int i = 0; i < n; i++) {
			inputs[i] = random.nextDouble();
		}
		return inputs;
	}

	/**
	 * The definition itself: each input's marginal effect averaged over all n! orders.
	 */
	private static long[] byEveryOrder(ToDoubleFunction<double[]> score, double[] from, double[] to, long change) {
		int n = from.length;
		List<int[]> orders = new ArrayList<>();
		permute(new int[n], new boolean[n], 0, orders);
		double[] shapley = new double[n];
		for (int[] order : orders) {
			double[] inputs = from.clone();
			double before = score.applyAsDouble(inputs);
			for (int index : order) {
				inputs[index] = to[index];
				double after = score.applyAsDouble(inputs);
				shapley[index] += (after - before) / orders.size();
				before = after;
			}
		}
		long[] shares = new long[n];
		int largest = 0;
		long sum = 0;
		for (int i = 0; i < n; i++) {
			shares[i] = ScoringEngine.hundredths(shapley[i]);
			sum += shares[i];
			largest = (Math.abs(shapley[i]) > Math.abs(shapley[largest])) ? i : largest;
		}
		shares[largest] += change - sum;
		return shares;
	}

	private static void permute(int[] order, boolean[] used, int position, List<int[]> orders) {
		if (position == order.length) {
			orders.add(order.clone());
			return;
		}
		for (int i = 0; i < order.length; i++) {
			if (!used[i]) {
				used[i] = true;
				order[position] = i;
				permute(order, used, position + 1, orders);
				used[i] = false;
			}
		}
	}

}
