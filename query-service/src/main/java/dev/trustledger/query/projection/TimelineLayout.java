package dev.trustledger.query.projection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.bson.Document;

/**
 * How an engagement's timeline is split into buckets: runs of consecutive months, each
 * bucket named by its first month. Walking the months with points in order, a bucket
 * takes the next month while it holds fewer than {@value #BUCKET_POINTS} points, and a
 * new one begins once it holds that many. An engagement with a few events a month keeps
 * about a year and a half to a bucket, so its whole timeline is two or three reads rather
 * than one per month; a busy month is a bucket of its own, as before. The layout is a
 * function of the points alone, so a rebuild lays a timeline out as the live projection
 * does; a backdated point can move the boundaries from its bucket on, never before it.
 * <p>
 * The engagement's document lists the first months ({@value #FIELD}). One written before
 * buckets grew has no such list: each of its history's months is a bucket.
 */
public final class TimelineLayout {

	/** A bucket takes the next month while it holds fewer points than this. */
	static final int BUCKET_POINTS = 48;

	/** The engagement's field that lists its buckets' first months, in order. */
	public static final String FIELD = "timelineBuckets";

	private final List<String> starts;

	private final boolean monthly;

	private TimelineLayout(List<String> starts, boolean monthly) {
		this.starts = Collections.unmodifiableList(starts);
		this.monthly = monthly;
	}

	/** The layout the engagement's document records. */
	public static TimelineLayout of(Document engagement) {
		List<String> starts = engagement.getList(FIELD, String.class);
		if (starts != null) {
			return new TimelineLayout(new ArrayList<>(starts), false);
		}
		return new TimelineLayout(new ArrayList<>(new TreeSet<>(EngagementDocuments.months(engagement))), true);
	}

	/**
	 * The layout of a timeline whose months hold the points given.
	 * @param months the months with points, in order, each with its first point's index
	 * and the index after its last
	 */
	static TimelineLayout of(Map<String, int[]> months) {
		List<String> starts = new ArrayList<>();
		int held = 0;
		for (Map.Entry<String, int[]> month : months.entrySet()) {
			if (starts.isEmpty() || held >= BUCKET_POINTS) {
				starts.add(month.getKey());
				held = 0;
			}
			held += month.getValue()[1] - month.getValue()[0];
		}
		return new TimelineLayout(starts, false);
	}

	/** The buckets' first months, in order. */
	public List<String> starts() {
		return this.starts;
	}

	/** Whether this is the layout of a document written before buckets grew. */
	boolean monthly() {
		return this.monthly;
	}

	/** The first month of the bucket that holds {@code month}; {@code null} for none. */
	public String startOf(String month) {
		int index = Collections.binarySearch(this.starts, month);
		int at = (index >= 0) ? index : -index - 2;
		return (at >= 0) ? this.starts.get(at) : null;
	}

	/**
	 * The first months of the buckets that may hold a month from {@code fromMonth} to
	 * {@code toMonth} ({@code null} for either: open), in order.
	 */
	public List<String> covering(String fromMonth, String toMonth) {
		List<String> covering = new ArrayList<>();
		for (int i = 0; i < this.starts.size(); i++) {
			String start = this.starts.get(i);
			String next = (i + 1 < this.starts.size()) ? this.starts.get(i + 1) : null;
			if ((toMonth == null || start.compareTo(toMonth) <= 0)
					&& (fromMonth == null || next == null || next.compareTo(fromMonth) > 0)) {
				covering.add(start);
			}
		}
		return covering;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof TimelineLayout that && this.starts.equals(that.starts) && this.monthly == that.monthly;
	}

	@Override
	public int hashCode() {
		return this.starts.hashCode();
	}

	@Override
	public String toString() {
		return (this.monthly ? "monthly " : "") + this.starts;
	}

}
