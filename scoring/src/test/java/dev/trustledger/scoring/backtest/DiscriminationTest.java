package dev.trustledger.scoring.backtest;

import java.util.List;

import dev.trustledger.scoring.backtest.Discrimination.Scored;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Small cases whose answers are worked out by hand in each test. */
class DiscriminationTest {

	/** Bad 70 and 50, good 60 and 30. */
	private final List<Scored> four = List.of(bad(70), good(60), bad(50), good(30));

	@Test
	void theAucIsTheShareOfBadAndGoodPairsTheRiskOrdersRight() {
		// pairs: 70>60, 70>30, 50<60, 50>30: three of four
		assertThat(Discrimination.auc(this.four)).isEqualTo(0.75);
		// 50 against 50 counts half, 50 against 40 whole: 1.5 of 2
		assertThat(Discrimination.auc(List.of(bad(50), good(50), good(40)))).isEqualTo(0.75);
		assertThat(Discrimination.auc(List.of(bad(90), bad(80), good(10), good(20)))).isEqualTo(1.0);
		assertThat(Discrimination.auc(List.of(bad(10), good(90)))).isEqualTo(0.0);
		assertThat(Discrimination.auc(List.of(bad(10), bad(90)))).isNaN();
	}

	@Test
	void theRocCurveFlagsFromTheRiskiestDown() {
		// 70 flags one bad of two; 60 a good of two; 50 the other bad; 30 the other good
		assertThat(Discrimination.roc(this.four)).containsExactly(new double[] { 0, 0 }, new double[] { 0, 0.5 },
				new double[] { 0.5, 0.5 }, new double[] { 0.5, 1 }, new double[] { 1, 1 });
	}

	@Test
	void theLiftIsTheRiskiestTenthsBadRateOverTheOverallRate() {
		// risks 1 to 10, bad at 10, 3 and 2: the riskiest tenth is the one at 10, all
		// bad,
		// against 3 in 10 overall
		List<Scored> ten = new java.util.ArrayList<>();
		for (int risk = 1; risk <= 10; risk++) {
			ten.add(new Scored(risk, risk == 10 || risk == 3 || risk == 2));
		}
		assertThat(Discrimination.topDecileLift(ten)).isCloseTo(10.0 / 3, within(1e-12));
	}

	@Test
	void aGroupOfEqualRisksCutByTheTenthsBoundaryCountsAtItsOwnRate() {
		// ten outcomes; the riskiest tenth is one, cut from a pair at risk 9 of which one
		// is bad: it counts half a bad outcome, against 2 in 10 overall
		List<Scored> ten = new java.util.ArrayList<>(List.of(good(9), bad(9)));
		for (int risk = 1; risk <= 8; risk++) {
			ten.add(new Scored(risk, risk == 1));
		}
		assertThat(Discrimination.topDecileLift(ten)).isCloseTo(0.5 / 0.2, within(1e-12));
		java.util.Collections.reverse(ten);
		assertThat(Discrimination.topDecileLift(ten)).as("whatever order the ties come in")
			.isCloseTo(0.5 / 0.2, within(1e-12));
	}

	@Test
	void theBootstrapResamplesWholeClustersReproduciblyAndHoldsAPerfectSeparationAtOne() {
		List<List<Scored>> clusters = List.of(List.of(bad(70)), List.of(good(60)), List.of(bad(50)), List.of(good(30)));
		double[] interval = Discrimination.bootstrap(clusters, 500, 7L);
		assertThat(Discrimination.bootstrap(clusters, 500, 7L)).containsExactly(interval);
		assertThat(interval[0]).isLessThanOrEqualTo(0.75);
		assertThat(interval[1]).isGreaterThanOrEqualTo(0.75).isLessThanOrEqualTo(1.0);
		assertThat(Discrimination.bootstrap(List.of(List.of(bad(90), bad(80)), List.of(good(10), good(20))), 200, 7L))
			.containsExactly(1.0, 1.0);
		// against itself, the difference is nothing in every resample
		double[][] versus = Discrimination.bootstrap(clusters, clusters, 200, 7L);
		assertThat(versus[1]).containsExactly(0.0, 0.0);
	}

	private static Scored bad(double risk) {
		return new Scored(risk, true);
	}

	private static Scored good(double risk) {
		return new Scored(risk, false);
	}

}
