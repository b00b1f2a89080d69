package dev.trustledger.query.engagement;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.trustledger.query.projection.TimelineRow;

/**
 * Reduces a timeline to at most a budget of points so that its shape survives: the first
 * and the last point, every point an alert belongs to and every point where the scoring
 * model changed are kept; the rest of the budget goes to the extremes of equal spans of
 * time, the lowest and highest trust and the lowest and highest mutual responsibility of
 * each span (per-interval min/max, as chart libraries decimate). A pure function of the
 * points, so the same timeline always reduces the same way.
 */
final class TimelineReduction {

	/** Every span contributes at most this many points: two extremes of each score. */
	private static final int PER_SPAN = 4;

	private TimelineReduction() {
	}

	/**
	 * The points to keep, in order.
	 * @param points the timeline, in occurrence order
	 * @param budget at most this many points come back; at least 2
	 * @param keepSequences the events whose points must stay (those an alert belongs to)
	 */
	static List<TimelineRow> reduce(List<TimelineRow> points, int budget, Set<Long> keepSequences) {
		int n = points.size();
		if (n <= budget) {
			return points;
		}
		BitSet mandatory = new BitSet(n);
		mandatory.set(0);
		mandatory.set(n - 1);
		for (int i = 0; i < n; i++) {
			TimelineRow point = points.get(i);
			if (keepSequences.contains(point.sequence())
					|| (i > 0 && !Objects.equals(point.modelVersion(), points.get(i - 1).modelVersion()))) {
				mandatory.set(i);
			}
		}
		if (mandatory.cardinality() >= budget) {
			return evenly(points, mandatory, budget);
		}
		BitSet kept = (BitSet) mandatory.clone();
		int spans = (budget - mandatory.cardinality()) / PER_SPAN;
		if (spans > 0) {
			keepExtremes(points, spans, kept);
		}
		List<TimelineRow> reduced = new ArrayList<>(kept.cardinality());
		for (int i = kept.nextSetBit(0); i >= 0; i = kept.nextSetBit(i + 1)) {
			reduced.add(points.get(i));
		}
		return reduced;
	}

	/**
	 * Marks the lowest and highest of both scores in each of {@code spans} equal spans of
	 * time; of equal counts of points when every point has the same time.
	 */
	private static void keepExtremes(List<TimelineRow> points, int spans, BitSet kept) {
		int n = points.size();
		long first = points.get(0).epochMillis();
		long last = points.get(n - 1).epochMillis();
		double width = (last > first) ? (double) (last - first + 1) / spans : 0;
		int start = 0;
		for (int span = 0; span < spans && start < n; span++) {
			int end;
			if (width > 0) {
				long until = (span == spans - 1) ? Long.MAX_VALUE : first + (long) Math.ceil(width * (span + 1));
				end = start;
				while (end < n && points.get(end).epochMillis() < until) {
					end++;
				}
			}
			else {
				end = (int) Math.min(n, (long) n * (span + 1) / spans);
			}
			if (end > start) {
				int minTrust = start;
				int maxTrust = start;
				int minMutual = start;
				int maxMutual = start;
				for (int i = start + 1; i < end; i++) {
					TimelineRow point = points.get(i);
					if (point.trust() < points.get(minTrust).trust()) {
						minTrust = i;
					}
					if (point.trust() > points.get(maxTrust).trust()) {
						maxTrust = i;
					}
					if (point.mutual() < points.get(minMutual).mutual()) {
						minMutual = i;
					}
					if (point.mutual() > points.get(maxMutual).mutual()) {
						maxMutual = i;
					}
				}
				kept.set(minTrust);
				kept.set(maxTrust);
				kept.set(minMutual);
				kept.set(maxMutual);
			}
			start = end;
		}
	}

	/**
	 * When the points that must stay exceed the budget on their own: the first, the last
	 * and the others evenly spaced among them.
	 */
	private static List<TimelineRow> evenly(List<TimelineRow> points, BitSet mandatory, int budget) {
		int[] indexes = mandatory.stream().toArray();
		List<TimelineRow> reduced = new ArrayList<>(budget);
		for (int k = 0; k < budget; k++) {
			int at = (int) Math.round((double) k * (indexes.length - 1) / (budget - 1));
			reduced.add(points.get(indexes[at]));
		}
		return reduced;
	}

}
