package dev.trustledger.query.engagement;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mongodb.client.model.Filters;
import dev.trustledger.query.alert.Deadlines;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.projection.EngagementDocuments;
import dev.trustledger.query.projection.ScoreProjection;
import dev.trustledger.query.projection.TimelineLayout;
import dev.trustledger.query.projection.TimelineRow;
import org.bson.Document;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Reads an engagement's scored timeline: only the buckets a range covers
 * ({@link TimelineLayout}), each kept in memory once read (up to a number of points) for
 * as long as the engagement has not changed. An entry is valid for the engagement's last
 * applied sequence it was read at: any later event, which may rewrite any bucket from its
 * month on, makes the next read go to the store again. Whole answers are kept too
 * ({@link Answer}), under the question and the sequence they answer, until the
 * engagement's next crossing (a reduced answer keeps the point a time-raised alert
 * belongs to): a timeline is read far more often than it changes.
 * <p>
 * Both caches are Caffeine's, bounded by weight, whose policy (W-TinyLFU) keeps an entry
 * only when it is likely to be read again. With a least-recently-used list, every first
 * read of one of 10,000 engagements went into the caches and pushed out another: each
 * entry outlived a young collection before it was dropped, and copying them made the
 * serial collector's young pauses about 35 ms under the read load driver, which set the
 * reads' p99. Even so, the entries that come and go still outlive a few collections, so a
 * bucket is kept as the one text its rows are stored as, read again on each hit (about
 * 0.7 µs a point), rather than as rows of some twenty objects each, which the collector
 * copied one by one: with the answers' buffers kept (below), the young pauses under the
 * read load driver went from p50 13 ms to 7 ms (docs/performance.md, runs 31 to 35).
 */
@Component
public class Timelines {

	private final Cache<String, Cached> cache;

	private final Cache<String, Kept> answers;

	Timelines(@Value("${trustledger.query.timeline-cache-points:50000}") int capacity,
			@Value("${trustledger.query.timeline-answer-cache-bytes:134217728}") long answerCapacity) {
		this.cache = Caffeine.newBuilder()
			.maximumWeight(capacity)
			.weigher((String key, Cached cached) -> cached.points())
			.build();
		this.answers = Caffeine.newBuilder()
			.maximumWeight(answerCapacity)
			.weigher((String key, Kept kept) -> (int) Math.min(Integer.MAX_VALUE, kept.answer().weight()))
			.build();
	}

	/**
	 * The answer kept for {@code key} that took in {@code passed} crossings, or the one
	 * {@code prepared} gives, written and kept until the next crossing. The answer is
	 * prepared (its points read from the store) before a buffer is taken to write it in,
	 * so that a buffer is held only while an answer is written.
	 * @param key the question and the engagement's sequence it is answered at
	 * @param passed the engagement's crossings passed now, at that sequence
	 * ({@link dev.trustledger.query.alert.Deadlines#passed}): the time-raised alerts
	 * whose points a reduced answer keeps
	 * @param now the instant the answer is made at
	 * @param prepared reads what the answer holds and gives its writer
	 * @param asJson whether the answer is sent as it is (a client that does not accept
	 * gzip): a first answer then keeps its JSON for that client instead of inflating it
	 */
	public Answer answer(String key, Deadlines.Passed passed, Instant now, Supplier<AnswerWriter> prepared,
			boolean asJson) {
		Kept kept = this.answers.getIfPresent(key);
		if (kept != null && kept.passed() == passed.count()) {
			return kept.answer();
		}
		Answer written = Answer.write(prepared.get(), asJson);
		this.answers.put(key, new Kept(written.kept(), passed.count(), now, passed.next()));
		return written;
	}

	/**
	 * The answer kept for {@code key}, if it still holds at {@code now}: made no later,
	 * and no crossing of the engagement has come since. Otherwise {@code null}.
	 */
	Kept kept(String key, Instant now) {
		Kept kept = this.answers.getIfPresent(key);
		return (kept != null && !now.isBefore(kept.madeAt()) && (kept.until() == null || now.isBefore(kept.until())))
				? kept : null;
	}

	/**
	 * A kept answer, how many of the engagement's crossings it took in, the instant it
	 * was made at and the next crossing after it ({@code null} for none), from which it
	 * no longer holds.
	 */
	record Kept(Answer answer, int passed, Instant madeAt, Instant until) {
	}

	/**
	 * Writes an answer's JSON: all of it into the stream by the time it returns (nothing
	 * left in a buffer of its own), without closing it or keeping it.
	 */
	@FunctionalInterface
	public interface AnswerWriter {

		void writeTo(OutputStream out) throws IOException;

	}

	/**
	 * A whole answer as JSON, or gzip-compressed once when it is large enough for that to
	 * pay: a long timeline is read far more often than it is written, and sending a tenth
	 * of its bytes to every client that accepts gzip (every browser does) costs the
	 * service less than copying all of them. A compressed answer is kept compressed only,
	 * and inflated for a client that does not accept gzip: the cache then holds about six
	 * times as many answers in the same memory.
	 * <p>
	 * An answer is written and compressed in buffers kept for the next one
	 * ({@link Scratch}), and only what is kept is copied out of them: the compressed
	 * bytes of a large answer, the JSON of a small one. Most answers are first reads, and
	 * writing and compressing a whole timeline of 100 points (57 KB of JSON) made about
	 * 130 KB of new arrays (the JSON grown and copied, the compressed bytes grown and
	 * copied), which the young collections then swept (docs/performance.md, run 31).
	 */
	public static final class Answer {

		/**
		 * Answers smaller than this are sent and kept as they are. Kept compressed, an
		 * answer takes about a fifth of the memory: the last 90 days of an engagement
		 * with an event every ten days (about 9 points, 5 KB of JSON) were kept as JSON
		 * below the 8 KB this was, and 10,000 of them (about 50 MB) did not fit in the
		 * answers' 32 MB, so most reads of them went to the store again
		 * (docs/performance.md, runs 46 to 48). Compressing 5 KB at the fastest level
		 * costs about 10 µs.
		 */
		static final int COMPRESSED_FROM = 1024;

		/**
		 * The fastest level (as nginx compresses by default): most answers are first
		 * reads, compressed once and sent once. A whole timeline of 100 points (57 KB)
		 * takes 0.13 ms to 10.8 KB instead of 0.46–0.53 ms to 8.6 KB at zlib's default,
		 * about a fifth of what such a read costs the query service (docs/performance.md,
		 * runs 23 to 26).
		 */
		static final int LEVEL = Deflater.BEST_SPEED;

		private final byte[] json;

		private final byte[] gzip;

		private Answer(byte[] json, byte[] gzip) {
			this.json = json;
			this.gzip = gzip;
		}

		/**
		 * The answer {@code writer} writes, compressed if it is large enough, with its
		 * JSON as well if {@code asJson}.
		 */
		static Answer write(AnswerWriter writer, boolean asJson) {
			Scratch scratch = Scratch.borrow();
			try {
				writer.writeTo(scratch.json);
				if (scratch.json.size() < COMPRESSED_FROM) {
					return new Answer(scratch.json.toByteArray(), null);
				}
				try (GZIPOutputStream out = new GZIPOutputStream(scratch.gzip, 8192) {
					{
						this.def.setLevel(LEVEL);
					}
				}) {
					scratch.json.writeTo(out);
				}
				return new Answer(asJson ? scratch.json.toByteArray() : null, scratch.gzip.toByteArray());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			finally {
				Scratch.release(scratch);
			}
		}

		/** The answer as it is kept: its compressed form only, if it has one. */
		Answer kept() {
			return (this.gzip != null && this.json != null) ? new Answer(null, this.gzip) : this;
		}

		/** The answer as JSON: inflated, if it is kept compressed only. */
		public byte[] json() {
			if (this.json != null) {
				return this.json;
			}
			try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(this.gzip), 8192)) {
				return in.readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** The answer gzip-compressed, or {@code null} if it is too small to pay. */
		public byte[] gzip() {
			return this.gzip;
		}

		long weight() {
			return ((this.json != null) ? this.json.length : 0) + ((this.gzip != null) ? this.gzip.length : 0);
		}

	}

	/**
	 * The buffers an answer is written and compressed in, kept for the next answer: at
	 * most {@link #KEPT} of them, the last one given back taken first (so that only as
	 * many as answers are written at once stay warm), and not one whose buffer grew past
	 * {@link #KEPT_UP_TO} for a very large answer. Outside the answer cache's bytes, they
	 * hold at most 16 MB, and about 9 MB once each has written an answer of the default
	 * budget (1,000 points, about 570 KB of JSON).
	 */
	static final class Scratch {

		static final int KEPT = 8;

		static final int KEPT_UP_TO = 1 << 20;

		private static final BlockingDeque<Scratch> KEPT_SCRATCH = new LinkedBlockingDeque<>(KEPT);

		final Buffer json = new Buffer(64 * 1024);

		final Buffer gzip = new Buffer(16 * 1024);

		static Scratch borrow() {
			Scratch kept = KEPT_SCRATCH.pollFirst();
			return (kept != null) ? kept : new Scratch();
		}

		static void release(Scratch scratch) {
			scratch.json.reset();
			scratch.gzip.reset();
			if (scratch.json.capacity() <= KEPT_UP_TO && scratch.gzip.capacity() <= KEPT_UP_TO) {
				KEPT_SCRATCH.offerFirst(scratch);
			}
		}

		/** A growing buffer that says how large it has grown. */
		static final class Buffer extends ByteArrayOutputStream {

			Buffer(int size) {
				super(size);
			}

			synchronized int capacity() {
				return this.buf.length;
			}

		}

	}

	/**
	 * The points of the engagement that occurred within the range (either end may be
	 * open), in occurrence order.
	 * @param engagement the engagement's document, as read for this request
	 */
	public List<TimelineRow> rows(Generation generation, Document engagement, Instant from, Instant to) {
		String engagementId = engagement.getString("_id");
		long lastSequence = engagement.get("lastSequence", Number.class).longValue();
		String fromMonth = (from != null) ? EngagementDocuments.month(from) : null;
		String toMonth = (to != null) ? EngagementDocuments.month(to) : null;
		List<String> bucketIds = new ArrayList<>();
		TimelineLayout layout = TimelineLayout.of(engagement);
		for (String start : layout.covering(fromMonth, toMonth)) {
			bucketIds.add(EngagementDocuments.bucket(engagementId, start));
		}
		List<TimelineRow> rows = new ArrayList<>();
		for (List<TimelineRow> bucket : buckets(generation, bucketIds, lastSequence, layout)) {
			for (TimelineRow row : bucket) {
				if ((from == null || row.epochMillis() >= from.toEpochMilli())
						&& (to == null || row.epochMillis() <= to.toEpochMilli())) {
					rows.add(row);
				}
			}
		}
		return rows;
	}

	/**
	 * The points in the range at a granularity: {@code event} (every point), {@code day}
	 * or {@code week} (the last point of each day or of each week from Monday, UTC).
	 */
	public List<TimelineRow> read(Generation generation, Document engagement, Instant from, Instant to,
			String granularity) {
		List<TimelineRow> rows = rows(generation, engagement, from, to);
		if (granularity.equals("event")) {
			return rows;
		}
		long period = granularity.equals("week") ? 7 : 1;
		List<TimelineRow> last = new ArrayList<>();
		long current = Long.MIN_VALUE;
		for (TimelineRow row : rows) {
			// days since the epoch; the epoch was a Thursday, so weeks start 3 days later
			long day = Math.floorDiv(row.epochMillis(), 86_400_000L);
			long key = (period == 7) ? Math.floorDiv(day - 4, 7) : day;
			if (key == current) {
				last.set(last.size() - 1, row);
			}
			else {
				last.add(row);
				current = key;
			}
		}
		return last;
	}

	/** Whether {@code granularity} is one {@link #read} knows. */
	public static boolean knows(String granularity) {
		return List.of("event", "day", "week").contains(granularity);
	}

	/**
	 * The buckets in the order asked, from the cache where it holds them for this
	 * sequence, the others in one query by their ids.
	 */
	private List<List<TimelineRow>> buckets(Generation generation, List<String> bucketIds, long lastSequence,
			TimelineLayout layout) {
		Map<String, List<TimelineRow>> found = new HashMap<>();
		List<String> missing = new ArrayList<>();
		for (String bucketId : bucketIds) {
			Cached cached = this.cache.getIfPresent(generation.number() + "/" + bucketId);
			if (cached != null && cached.lastSequence() == lastSequence && cached.layout().equals(layout)) {
				found.put(bucketId, cached.rows(bucketId));
			}
			else {
				missing.add(bucketId);
			}
		}
		if (!missing.isEmpty()) {
			generation.collection(ScoreProjection.TIMELINE)
				.find(Filters.in("_id", missing))
				.projection(EngagementDocuments.POINTS_ONLY)
				.forEach((bucket) -> {
					List<TimelineRow> rows = EngagementDocuments.timelineRows(bucket);
					found.put(bucket.getString("_id"), rows);
					this.cache.put(generation.number() + "/" + bucket.getString("_id"),
							Cached.of(lastSequence, layout, bucket, rows));
				});
		}
		List<List<TimelineRow>> buckets = new ArrayList<>(bucketIds.size());
		for (String bucketId : bucketIds) {
			buckets.add(found.getOrDefault(bucketId, List.of()));
		}
		return buckets;
	}

	/**
	 * A bucket's rows, read at a sequence of its engagement, in a layout: a bucket of the
	 * same name in another layout (one kept a month to a bucket) holds other months.
	 *
	 * @param stored the text the rows are stored as, or the rows of a bucket written
	 * before rows had one text
	 * @param points how many rows
	 */
	record Cached(long lastSequence, TimelineLayout layout, Object stored, int points) {

		static Cached of(long lastSequence, TimelineLayout layout, Document bucket, List<TimelineRow> rows) {
			String text = EngagementDocuments.rowsText(bucket);
			return new Cached(lastSequence, layout, (text != null) ? text : List.copyOf(rows), rows.size());
		}

		@SuppressWarnings("unchecked")
		List<TimelineRow> rows(String bucketId) {
			return (this.stored instanceof String text) ? EngagementDocuments.timelineRows(bucketId, text)
					: (List<TimelineRow>) this.stored;
		}

	}

}
