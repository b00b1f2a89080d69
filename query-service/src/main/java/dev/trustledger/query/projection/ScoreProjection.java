package dev.trustledger.query.projection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.EngagementEventTypes;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.scoring.ScorableEvent;
import dev.trustledger.scoring.ScorePoint;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.backtest.Backtest;
import org.bson.Document;

import org.springframework.stereotype.Component;

/**
 * Scores every engagement from its whole history. The history is kept in monthly buckets
 * ({@code _id} = engagement and month of occurrence), each event under its sequence
 * number so that writing it again changes nothing. After each event the engagement is
 * re-folded by the generation's scoring engine in occurrence order, so a backdated event
 * lands where it belongs and the result equals the one had the events been recorded in
 * order. The timeline is written back in monthly buckets too: reading it is a handful of
 * primary-key lookups.
 */
@Component
public class ScoreProjection {

	public static final String HISTORY = "engagement_history";

	public static final String TIMELINE = "engagement_timeline";

	/** The scoring fold's checkpoints, a document per month with points. */
	public static final String CHECKPOINTS = "engagement_checkpoints";

	private final ObjectMapper objectMapper;

	private final TimelineCache cache;

	ScoreProjection(ObjectMapper objectMapper, TimelineCache cache) {
		this.objectMapper = objectMapper;
		this.cache = cache;
	}

	/**
	 * Adds one event to the history and to the engagement's timeline, from the cached
	 * running state when this instance applied the previous event, else from the whole
	 * history; writes back the timeline's buckets and checkpoints from the month of the
	 * first point that changed, and names the buckets its layout no longer has (a
	 * backdated point can move the boundaries after it), to be removed once the
	 * engagement is committed ({@link #removed}).
	 * @param months the months of occurrence the history has, this event's included
	 * @param last the sequence applied before this event
	 * @param before the timeline's layout before this event
	 * @return the engagement's timeline with this event, and its layout
	 */
	Recorded record(Generation generation, RecordedEvent recorded, Collection<String> months, long last,
			TimelineLayout before) {
		String month = EngagementDocuments.month(recorded.event().occurredAt());
		ScoringEngine.Timeline timeline = this.cache.take(generation.number(), recorded.engagementId(), last);
		if (timeline == null) {
			// only what was committed: an attempt that crashed after writing this event's
			// history entry must not count it twice
			timeline = generation.engine()
				.timeline(load(generation, recorded.engagementId(), months, null).stream()
					.filter((scorable) -> scorable.sequence() <= last)
					.toList());
		}
		generation.collection(HISTORY)
			.updateOne(Filters.eq("_id", EngagementDocuments.bucket(recorded.engagementId(), month)),
					Updates.set("events." + recorded.sequence(), EngagementDocuments.historyEntry(recorded)),
					new UpdateOptions().upsert(true));
		int changed = timeline.add(new ScorableEvent(recorded.sequence(), recorded.eventId(), recorded.event()));
		List<ScorePoint> points = timeline.points();
		// points before the first one that changed stay as they were: rewrite from its
		// month on (the checkpoints of a month are in its document and the next month's);
		// a timeline still laid out a month to a bucket is laid out anew, whole
		String fromMonth = before.monthly() ? "" : EngagementDocuments.month(points.get(changed).occurredAt());
		EngagementDocuments.TimelineDocuments written = EngagementDocuments.timelineDocuments(recorded.engagementId(),
				points, timeline.checkpoints(), fromMonth);
		replaceAll(generation.collection(TIMELINE), written.timeline().values());
		replaceAll(generation.collection(CHECKPOINTS), written.checkpoints().values());
		List<String> gone = before.starts()
			.stream()
			.filter((start) -> !written.layout().starts().contains(start))
			.map((start) -> EngagementDocuments.bucket(recorded.engagementId(), start))
			.toList();
		return new Recorded(timeline, written.layout(), gone);
	}

	/**
	 * An event recorded: the engagement's timeline with it, the timeline's layout, and
	 * the buckets of the layout before it that the new one no longer has.
	 */
	record Recorded(ScoringEngine.Timeline timeline, TimelineLayout layout, List<String> gone) {
	}

	/**
	 * Removes the buckets a layout no longer has, once the engagement's document that
	 * names the new layout is committed: only the writer whose commit succeeded removes
	 * anything, and until then readers of the old layout find every bucket it names.
	 */
	void removed(Generation generation, Recorded recorded) {
		if (!recorded.gone().isEmpty()) {
			generation.collection(TIMELINE).deleteMany(Filters.in("_id", recorded.gone()));
		}
	}

	private static void replaceAll(com.mongodb.client.MongoCollection<Document> collection,
			Collection<Document> documents) {
		for (Document document : documents) {
			collection.replaceOne(Filters.eq("_id", document.getString("_id")), document,
					new ReplaceOptions().upsert(true));
		}
	}

	/** Keeps a timeline for the next event once the event it holds is committed. */
	void committed(Generation generation, String engagementId, long sequence, ScoringEngine.Timeline timeline) {
		this.cache.put(generation.number(), engagementId, sequence, timeline);
	}

	/**
	 * The points of the timeline buckets asked, by their first months, in order: the
	 * buckets in one query by their ids.
	 */
	private static List<Document> points(Generation generation, String engagementId, List<String> starts) {
		List<String> ids = starts.stream().map((start) -> EngagementDocuments.bucket(engagementId, start)).toList();
		Map<String, Document> buckets = new HashMap<>();
		if (!ids.isEmpty()) {
			generation.collection(TIMELINE)
				.find(Filters.in("_id", ids))
				.projection(EngagementDocuments.POINTS_ONLY)
				.forEach((bucket) -> buckets.put(bucket.getString("_id"), bucket));
		}
		List<Document> points = new ArrayList<>();
		for (String id : ids) {
			Document bucket = buckets.get(id);
			if (bucket != null) {
				points.addAll(EngagementDocuments.points(bucket));
			}
		}
		return points;
	}

	/**
	 * What we knew at recording time {@code knownAt} (all we know, when it is
	 * {@code null}) about business time {@code asOf}: only the events recorded by then
	 * count. Backdated incidents make the two differ. With all we know, one checkpoint
	 * document answers it; else the history is folded.
	 */
	public ScoringEngine.Scores scoresAt(Generation generation, String engagementId, Collection<String> months,
			Instant asOf, Instant knownAt) {
		if (knownAt == null) {
			Subject subject = Subject.of(engagementId, months);
			int anchor = subject.answering(asOf);
			ByThen byThen = byThen(subject, asOf, anchor,
					kept(generation, (anchor < 0) ? List.of() : List.of(subject.document(anchor))));
			if (byThen.found()) {
				return generation.engine().scoresAt(byThen.checkpoint(), asOf);
			}
		}
		List<String> upTo = monthsUpTo(months, asOf);
		return generation.engine().scoresAt(load(generation, engagementId, upTo, knownAt), asOf);
	}

	/**
	 * Where an engagement stood at business time {@code asOf}: its scores, its scores 30
	 * days before, and when its last event before then occurred; folded from its history.
	 */
	public Standing standing(Generation generation, String engagementId, Collection<String> months, Instant asOf) {
		List<ScorableEvent> events = load(generation, engagementId, monthsUpTo(months, asOf), null);
		Instant lastEventAt = events.stream()
			.map((scorable) -> scorable.event().occurredAt())
			.filter((at) -> !at.isAfter(asOf))
			.max(Instant::compareTo)
			.orElse(null);
		return new Standing(generation.engine().scoresAt(events, asOf),
				generation.engine().scoresAt(events, asOf.minus(MONTH_BEFORE)), lastEventAt);
	}

	/** The trend of a standing is over this long. */
	private static final java.time.Duration MONTH_BEFORE = java.time.Duration.ofDays(30);

	/** How many engagements' checkpoint documents one query reads. */
	private static final int BATCH = 500;

	/**
	 * Where each engagement stood at business time {@code asOf}, as
	 * {@link #standing(Generation, String, Collection, Instant)} gives it, from the
	 * checkpoint documents: one per engagement (two in the first days of March, or when
	 * it had no event in the two months before the date 30 days earlier), read
	 * {@value #BATCH} engagements to a query, and no event folded. An engagement whose
	 * checkpoints were not kept (a generation built before they were) is folded from its
	 * history.
	 * @return each engagement's standing by its id
	 */
	public Map<String, Standing> standings(Generation generation, List<Subject> subjects, Instant asOf) {
		Instant monthBefore = asOf.minus(MONTH_BEFORE);
		Map<String, Standing> standings = new HashMap<>();
		for (int from = 0; from < subjects.size(); from += BATCH) {
			List<Subject> batch = subjects.subList(from, Math.min(subjects.size(), from + BATCH));
			List<String> ids = new ArrayList<>(batch.size() + 16);
			int[] anchors = new int[batch.size()];
			for (int i = 0; i < batch.size(); i++) {
				Subject subject = batch.get(i);
				anchors[i] = subject.answering(asOf);
				if (anchors[i] >= 0) {
					ids.add(subject.document(anchors[i]));
					if (!Subject.covers(anchors[i], monthBefore)) {
						int before = subject.answering(monthBefore);
						if (before >= 0) {
							ids.add(subject.document(before));
						}
					}
				}
			}
			Map<String, EngagementDocuments.Checkpoints> kept = kept(generation, ids);
			for (int i = 0; i < batch.size(); i++) {
				Subject subject = batch.get(i);
				ByThen now = byThen(subject, asOf, anchors[i], kept);
				ByThen before = byThen(subject, monthBefore, anchors[i], kept);
				if (now.found() && before.found()) {
					standings.put(subject.engagementId(),
							new Standing(generation.engine().scoresAt(now.checkpoint(), asOf),
									generation.engine().scoresAt(before.checkpoint(), monthBefore),
									(now.checkpoint() != null) ? now.checkpoint().now() : null));
				}
				else {
					standings.put(subject.engagementId(),
							standing(generation, subject.engagementId(), subject.monthNames(), asOf));
				}
			}
		}
		return standings;
	}

	/**
	 * An engagement and the months its history has events in, as numbers of months since
	 * January 1970 ({@link EngagementDocuments#monthNumber}), ascending: what finding its
	 * checkpoints needs.
	 */
	public record Subject(String engagementId, int[] months) {

		public static Subject of(String engagementId, Collection<String> months) {
			return new Subject(engagementId,
					months.stream().mapToInt(EngagementDocuments::monthNumber).sorted().distinct().toArray());
		}

		List<String> monthNames() {
			return java.util.Arrays.stream(this.months).mapToObj(EngagementDocuments::monthName).toList();
		}

		/**
		 * The month whose checkpoint document answers {@code at}: the latest with events
		 * by {@code at}'s month; -1 for none, when nothing had occurred by then.
		 */
		int answering(Instant at) {
			int index = java.util.Arrays.binarySearch(this.months, EngagementDocuments.monthNumber(at));
			int upTo = (index >= 0) ? index : -index - 2;
			return (upTo >= 0) ? this.months[upTo] : -1;
		}

		String document(int month) {
			return EngagementDocuments.checkpointsOf(this.engagementId, EngagementDocuments.monthName(month));
		}

		/**
		 * Whether the document of the month answering an instant answers an earlier
		 * instant {@code at} too: it does from the start of the month before its own.
		 */
		static boolean covers(int answering, Instant at) {
			return EngagementDocuments.monthNumber(at) >= answering - 1;
		}

	}

	/**
	 * The checkpoint documents asked for, by id; a document not kept is not in the map.
	 */
	private static Map<String, EngagementDocuments.Checkpoints> kept(Generation generation, List<String> ids) {
		Map<String, EngagementDocuments.Checkpoints> kept = new HashMap<>();
		if (!ids.isEmpty()) {
			generation.collection(CHECKPOINTS)
				.find(Filters.in("_id", ids))
				.forEach((bucket) -> kept.put(bucket.getString("_id"), EngagementDocuments.checkpoints(bucket)));
		}
		return kept;
	}

	/**
	 * The checkpoint of the last event by {@code at}: found with {@code null} when no
	 * event had occurred by then; not found when the document that would tell was not
	 * kept (a generation built before checkpoints were, or a month whose events do not
	 * score), and the history is then folded instead.
	 * @param anchor the month answering a later instant, whose document is read, or -1
	 */
	private static ByThen byThen(Subject subject, Instant at, int anchor,
			Map<String, EngagementDocuments.Checkpoints> kept) {
		int answering = (anchor >= 0 && Subject.covers(anchor, at)) ? anchor : subject.answering(at);
		if (answering < 0) {
			return ByThen.NONE;
		}
		EngagementDocuments.Checkpoints checkpoints = kept.get(subject.document(answering));
		return (checkpoints != null) ? new ByThen(true, checkpoints.by(at)) : ByThen.UNKNOWN;
	}

	private record ByThen(boolean found, ScoringEngine.Checkpoint checkpoint) {

		static final ByThen NONE = new ByThen(true, null);

		static final ByThen UNKNOWN = new ByThen(false, null);

	}

	/** Events are bucketed by the month they occurred in: later months cannot count. */
	private static List<String> monthsUpTo(Collection<String> months, Instant asOf) {
		String asOfMonth = EngagementDocuments.month(asOf);
		return months.stream().filter((month) -> month.compareTo(asOfMonth) <= 0).toList();
	}

	public record Standing(ScoringEngine.Scores scores, ScoringEngine.Scores monthBefore, Instant lastEventAt) {
	}

	/** How many timeline buckets (and their months of history) one query reads. */
	private static final int BUCKETS_PER_READ = 6;

	/**
	 * A page of the history in occurrence order: each event's data next to the scores it
	 * produced and why. The latest {@code limit} events of the range, read bucket by
	 * bucket of the timeline from the latest, so that a page costs what it holds rather
	 * than the whole history.
	 * @param months the months the history has events in
	 * @param layout the timeline's layout
	 * @param from only events that occurred at or after this, if given
	 * @param to only events that occurred at or before this, if given
	 * @param beforeSequence with {@code to}: of the events that occurred exactly at
	 * {@code to}, only those of a lower sequence (the events before a page's first)
	 * @param limit the most events a page holds
	 */
	public HistoryPage events(Generation generation, String engagementId, Collection<String> months,
			TimelineLayout layout, Instant from, Instant to, Long beforeSequence, int limit) {
		String fromMonth = (from != null) ? EngagementDocuments.month(from) : null;
		String toMonth = (to != null) ? EngagementDocuments.month(to) : null;
		List<String> latestFirst = new ArrayList<>(layout.covering(fromMonth, toMonth));
		java.util.Collections.reverse(latestFirst);
		List<Document> newestFirst = new ArrayList<>();
		int read = 0;
		while (read < latestFirst.size() && newestFirst.size() <= limit) {
			List<String> chunk = latestFirst.subList(read, Math.min(latestFirst.size(), read + BUCKETS_PER_READ));
			read += chunk.size();
			List<String> chunkMonths = months.stream()
				.filter((month) -> chunk.contains(layout.startOf(month))
						&& (fromMonth == null || month.compareTo(fromMonth) >= 0)
						&& (toMonth == null || month.compareTo(toMonth) <= 0))
				.toList();
			Map<Long, Document> data = new HashMap<>();
			forEachEntry(generation, engagementId, chunkMonths, data::put);
			List<String> oldestFirst = new ArrayList<>(chunk);
			java.util.Collections.reverse(oldestFirst);
			List<Document> points = points(generation, engagementId, oldestFirst);
			for (int i = points.size() - 1; i >= 0; i--) {
				Document point = points.get(i);
				long sequence = point.get("sequence", Number.class).longValue();
				Instant occurredAt = Timestamps.parse(point.getString("occurredAt"));
				boolean inRange = (from == null || !occurredAt.isBefore(from)) && (to == null || occurredAt.isBefore(to)
						|| (occurredAt.equals(to) && (beforeSequence == null || sequence < beforeSequence)));
				if (inRange) {
					newestFirst.add(event(point, data.get(sequence)));
				}
			}
		}
		boolean earlier = newestFirst.size() > limit || read < latestFirst.size();
		List<Document> page = new ArrayList<>(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
		java.util.Collections.reverse(page);
		return new HistoryPage(page, earlier);
	}

	/**
	 * A page of history.
	 *
	 * @param events its events, oldest first
	 * @param earlier whether the range holds events before the first of them
	 */
	public record HistoryPage(List<Document> events, boolean earlier) {
	}

	private static Document event(Document point, Document entry) {
		return new Document("sequence", point.get("sequence", Number.class).longValue())
			.append("eventId", point.getString("eventId"))
			.append("type", (entry != null) ? entry.getString("type") : point.getString("eventType"))
			.append("occurredAt", point.getString("occurredAt"))
			.append("recordedAt", (entry != null) ? entry.getString("recordedAt") : null)
			.append("recordedBy", (entry != null) ? entry.getString("recordedBy") : null)
			.append("data", (entry != null) ? Document.parse(EngagementDocuments.data(entry)) : null)
			.append("trust", point.get("trust"))
			.append("mutualResponsibility", point.get("mutualResponsibility"))
			.append("contributions", point.get("explanation"));
	}

	/**
	 * Every kept event of one engagement in the order it was recorded, each with its
	 * sequence number.
	 */
	public List<Map.Entry<Long, Document>> entries(Generation generation, String engagementId,
			Collection<String> months) {
		List<Map.Entry<Long, Document>> entries = new ArrayList<>();
		forEachEntry(generation, engagementId, months, (sequence, entry) -> entries.add(Map.entry(sequence, entry)));
		entries.sort(Map.Entry.comparingByKey());
		return entries;
	}

	/**
	 * Every kept entry of the months asked, month by month in the order asked: the
	 * buckets in one query by their ids.
	 */
	private void forEachEntry(Generation generation, String engagementId, Collection<String> months,
			java.util.function.BiConsumer<Long, Document> action) {
		if (months.isEmpty()) {
			return;
		}
		List<String> ids = months.stream().map((month) -> EngagementDocuments.bucket(engagementId, month)).toList();
		Map<String, Document> buckets = new HashMap<>();
		generation.collection(HISTORY)
			.find(Filters.in("_id", ids))
			.forEach((bucket) -> buckets.put(bucket.getString("_id"), bucket));
		for (String id : ids) {
			Document bucket = buckets.get(id);
			if (bucket != null) {
				bucket.get("events", Document.class)
					.forEach((sequence, entry) -> action.accept(Long.parseLong(sequence), (Document) entry));
			}
		}
	}

	/**
	 * Every event of one engagement's history this version can read, with when it was
	 * recorded: what a back-test scores as known at any date.
	 */
	public List<Backtest.Recorded> recorded(Generation generation, String engagementId, Collection<String> months) {
		List<Backtest.Recorded> events = new ArrayList<>();
		forEachEvent(generation, engagementId, months, (sequence, entry, event) -> {
			String recordedAt = entry.getString("recordedAt");
			// without a recording time, never known by a date before now
			events.add(new Backtest.Recorded(sequence, entry.getString("eventId"), event,
					(recordedAt != null) ? Instant.parse(recordedAt) : Instant.MAX));
		});
		events.sort(java.util.Comparator.comparingLong(Backtest.Recorded::sequence));
		return events;
	}

	/**
	 * The history's events, or only those recorded by {@code knownAt} when it is given.
	 */
	private List<ScorableEvent> load(Generation generation, String engagementId, Collection<String> months,
			Instant knownAt) {
		Predicate<Document> known = (entry) -> knownAt == null || entry.getString("recordedAt") == null
				|| !Instant.parse(entry.getString("recordedAt")).isAfter(knownAt);
		List<ScorableEvent> events = new ArrayList<>();
		forEachEvent(generation, engagementId, months, (sequence, entry, event) -> {
			if (known.test(entry)) {
				events.add(new ScorableEvent(sequence, entry.getString("eventId"), event));
			}
		});
		return events;
	}

	/** Every kept entry whose type this version reads, with its event read. */
	private void forEachEvent(Generation generation, String engagementId, Collection<String> months, KeptEvent action) {
		forEachEntry(generation, engagementId, months,
				(sequence, entry) -> EngagementEventTypes.classOf(entry.getString("type"))
					.ifPresent((type) -> action.accept(sequence, entry, read(EngagementDocuments.data(entry), type))));
	}

	private interface KeptEvent {

		void accept(long sequence, Document entry, EngagementEvent event);

	}

	private EngagementEvent read(String data, Class<? extends EngagementEvent> type) {
		try {
			return this.objectMapper.readValue(data, type);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
