package dev.trustledger.query.engagement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import dev.trustledger.query.projection.TimelineRow;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-made timelines whose reduction is worked out here: which points are first and
 * last, which raised an alert, where the model changed, and the extremes of each span.
 */
class TimelineReductionTest {

	private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

	/** Trust and mutual responsibility of twelve points, an hour apart. */
	private static final double[] TRUST = { 50, 40, 60, 30, 55, 70, 20, 45, 65, 35, 50, 52 };

	private static final double[] MUTUAL = { 50, 48, 52, 10, 51, 49, 50, 47, 90, 50, 53, 50 };

	@Test
	void aTimelineWithinItsBudgetIsUntouched() {
		List<TimelineRow> points = points("v1");
		assertThat(TimelineReduction.reduce(points, 12, Set.of())).isSameAs(points);
	}

	@Test
	void oneSpanKeepsTheFirstTheLastAndTheExtremesOfBothScores() {
		// budget 6: first and last, then (6 - 2) / 4 = 1 span over all twelve points:
		// lowest
		// trust 20 (#6), highest trust 70 (#5), lowest mutual 10 (#3), highest mutual 90
		// (#8)
		assertThat(sequences(TimelineReduction.reduce(points("v1"), 6, Set.of()))).containsExactly(0L, 3L, 5L, 6L, 8L,
				11L);
	}

	@Test
	void twoSpansKeepTheExtremesOfEachHalf() {
		// budget 10: (10 - 2) / 4 = 2 spans of equal time: points 0-5 and 6-11. First
		// half:
		// trust 30 (#3) and 70 (#5), mutual 10 (#3) and 52 (#2); second half: trust 20
		// (#6)
		// and 65 (#8), mutual 47 (#7) and 90 (#8)
		assertThat(sequences(TimelineReduction.reduce(points("v1"), 10, Set.of()))).containsExactly(0L, 2L, 3L, 5L, 6L,
				7L, 8L, 11L);
	}

	@Test
	void thePointThatRaisedAnAlertIsKeptBeforeAnyExtreme() {
		// budget 6 with #9 kept: three points must stay, (6 - 3) / 4 = 0 spans
		assertThat(sequences(TimelineReduction.reduce(points("v1"), 6, Set.of(9L)))).containsExactly(0L, 9L, 11L);
		// budget 7: one span fits beside them
		assertThat(sequences(TimelineReduction.reduce(points("v1"), 7, Set.of(9L)))).containsExactly(0L, 3L, 5L, 6L, 8L,
				9L, 11L);
	}

	@Test
	void theFirstPointOfAnotherModelIsKept() {
		List<TimelineRow> points = points("v1");
		for (int i = 4; i < points.size(); i++) {
			points.set(i, row(i, "v2"));
		}
		assertThat(sequences(TimelineReduction.reduce(points, 7, Set.of()))).containsExactly(0L, 3L, 4L, 5L, 6L, 8L,
				11L);
	}

	@Test
	void moreAlertsThanTheBudgetAreThinnedEvenlyKeepingBothEnds() {
		Set<Long> everyPoint = Set.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
		// positions 0, 11/3, 22/3 and 11, rounded
		assertThat(sequences(TimelineReduction.reduce(points("v1"), 4, everyPoint))).containsExactly(0L, 4L, 7L, 11L);
	}

	@Test
	void pointsAtOneInstantAreSpreadOverSpansByCount() {
		List<TimelineRow> points = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			points.add(new TimelineRow(values(i, "v1"), START.toEpochMilli(), TRUST[i], MUTUAL[i]));
		}
		assertThat(sequences(TimelineReduction.reduce(points, 10, Set.of()))).containsExactly(0L, 2L, 3L, 5L, 6L, 7L,
				8L, 11L);
	}

	private static List<TimelineRow> points(String model) {
		List<TimelineRow> points = new ArrayList<>();
		for (int i = 0; i < TRUST.length; i++) {
			points.add(row(i, model));
		}
		return points;
	}

	private static TimelineRow row(int i, String model) {
		return new TimelineRow(values(i, model), START.plusSeconds(3600L * i).toEpochMilli(), TRUST[i], MUTUAL[i]);
	}

	private static List<Object> values(int i, String model) {
		List<Object> values = new ArrayList<>(Collections.nCopies(22, null));
		values.set(0, i);
		values.set(1, "event-" + i);
		values.set(3, START.plusSeconds(3600L * i).toString());
		values.set(21, model);
		return values;
	}

	private static List<Long> sequences(List<TimelineRow> points) {
		return points.stream().map(TimelineRow::sequence).toList();
	}

}
