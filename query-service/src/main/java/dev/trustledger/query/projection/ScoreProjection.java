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

	private final ObjectMapper objectMapper;

	private final TimelineCache cache;

	ScoreProjection(ObjectMapper objectMapper, TimelineCache cache) {
		this.objectMapper = objectMapper;
		this.cache = cache;
	}

	/**
	 * Adds one event to the history and to the engagement's timeline, from the cached
	 * running state when this instance applied the previous event, else from the whole
	 * history; writes back the timeline's months from the first point that changed.
	 * @param months the months of occurrence the history has, this event's included
	 * @param last the sequence applied before this event
	 * @return the engagement's timeline with this event
	 */
	ScoringEngine.Timeline record(Generation generation, RecordedEvent recorded, Collection<String> months, long last) {
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
		// month on
		EngagementDocuments
			.timelineBuckets(recorded.engagementId(), points, timeline.checkpoints(),
					EngagementDocuments.month(points.get(changed).occurredAt()))
			.values()
			.forEach((bucket) -> generation.collection(TIMELINE)
				.replaceOne(Filters.eq("_id", bucket.getString("_id")), bucket, new ReplaceOptions().upsert(true)));
		return timeline;
	}

	/** Keeps a timeline for the next event once the event it holds is committed. */
	void committed(Generation generation, String engagementId, long sequence, ScoringEngine.Timeline timeline) {
		this.cache.put(generation.number(), engagementId, sequence, timeline);
	}

	/**
	 * The engagement's scored timeline, month by month, for the months asked: their
	 * buckets in one query by their ids.
	 */
	public List<Document> timeline(Generation generation, String engagementId, Collection<String> months) {
		List<String> ids = new TreeSet<>(months).stream()
			.map((month) -> EngagementDocuments.bucket(engagementId, month))
			.toList();
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
	 * count. Backdated incidents make the two differ.
	 */
	public ScoringEngine.Scores scoresAt(Generation generation, String engagementId, Collection<String> months,
			Instant asOf, Instant knownAt) {
		if (knownAt == null) {
			List<String> sorted = sorted(months);
			Map<String, List<ScoringEngine.Checkpoint>> kept = kept(generation,
					bucketsToRead(engagementId, sorted, List.of(asOf)));
			ByThen byThen = byThen(engagementId, sorted, asOf, kept);
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

	/** How many engagements' timeline buckets one query reads. */
	private static final int BATCH = 250;

	/**
	 * Where each engagement stood at business time {@code asOf}, as
	 * {@link #standing(Generation, String, Collection, Instant)} gives it, from the
	 * checkpoints the timelines keep: at most two buckets per engagement and instant,
	 * read {@value #BATCH} engagements to a query, and no event folded. An engagement
	 * whose timeline was written before checkpoints were kept is folded from its history.
	 * @param engagements the engagements' documents, with their {@code historyMonths}
	 * @return each engagement's standing by its id
	 */
	public Map<String, Standing> standings(Generation generation, List<Document> engagements, Instant asOf) {
		Instant monthBefore = asOf.minus(MONTH_BEFORE);
		Map<String, Standing> standings = new HashMap<>();
		for (int from = 0; from < engagements.size(); from += BATCH) {
			List<Document> batch = engagements.subList(from, Math.min(engagements.size(), from + BATCH));
			Map<String, List<String>> monthsOf = new HashMap<>();
			List<String> ids = new ArrayList<>();
			for (Document engagement : batch) {
				List<String> months = sorted(engagement.getList("historyMonths", String.class, List.of()));
				monthsOf.put(engagement.getString("_id"), months);
				ids.addAll(bucketsToRead(engagement.getString("_id"), months, List.of(asOf, monthBefore)));
			}
			Map<String, List<ScoringEngine.Checkpoint>> kept = kept(generation, ids);
			for (Document engagement : batch) {
				String engagementId = engagement.getString("_id");
				List<String> months = monthsOf.get(engagementId);
				ByThen now = byThen(engagementId, months, asOf, kept);
				ByThen before = byThen(engagementId, months, monthBefore, kept);
				if (now.found() && before.found()) {
					standings.put(engagementId,
							new Standing(generation.engine().scoresAt(now.checkpoint(), asOf),
									generation.engine().scoresAt(before.checkpoint(), monthBefore),
									(now.checkpoint() != null) ? now.checkpoint().now() : null));
				}
				else {
					standings.put(engagementId, standing(generation, engagementId, months, asOf));
				}
			}
		}
		return standings;
	}

	private static List<String> sorted(Collection<String> months) {
		return new ArrayList<>(new TreeSet<>(months));
	}

	/**
	 * The timeline buckets that hold the last event by each instant, if there is one: of
	 * the history's months up to the instant's, the latest two (the latest may hold only
	 * events after the instant, the one before cannot).
	 */
	private static List<String> bucketsToRead(String engagementId, List<String> sortedMonths, List<Instant> instants) {
		List<String> ids = new ArrayList<>(4);
		for (Instant at : instants) {
			for (String month : candidateMonths(sortedMonths, at)) {
				String id = EngagementDocuments.bucket(engagementId, month);
				if (!ids.contains(id)) {
					ids.add(id);
				}
			}
		}
		return ids;
	}

	/**
	 * The latest two months of the history up to the month of {@code at}, latest first.
	 */
	private static List<String> candidateMonths(List<String> sortedMonths, Instant at) {
		String last = EngagementDocuments.month(at);
		int index = java.util.Collections.binarySearch(sortedMonths, last);
		int upTo = (index >= 0) ? index : -index - 2;
		List<String> candidates = new ArrayList<>(2);
		for (int i = upTo; i >= 0 && i > upTo - 2; i--) {
			candidates.add(sortedMonths.get(i));
		}
		return candidates;
	}

	/**
	 * The checkpoints of the buckets asked for, by bucket id; a bucket without any maps
	 * to null.
	 */
	private static Map<String, List<ScoringEngine.Checkpoint>> kept(Generation generation, List<String> ids) {
		Map<String, List<ScoringEngine.Checkpoint>> kept = new HashMap<>();
		if (!ids.isEmpty()) {
			generation.collection(TIMELINE)
				.find(Filters.in("_id", ids))
				.projection(com.mongodb.client.model.Projections.include(EngagementDocuments.CHECKPOINTS))
				.forEach((bucket) -> kept.put(bucket.getString("_id"), EngagementDocuments.checkpoints(bucket)));
		}
		return kept;
	}

	/**
	 * The checkpoint of the last event by {@code at}: found with {@code null} when no
	 * event had occurred by then; not found when the buckets cannot tell (one written
	 * before checkpoints were kept, or a month whose events do not score), and the
	 * history is then folded instead.
	 */
	private static ByThen byThen(String engagementId, List<String> sortedMonths, Instant at,
			Map<String, List<ScoringEngine.Checkpoint>> kept) {
		List<String> candidates = candidateMonths(sortedMonths, at);
		for (String month : candidates) {
			List<ScoringEngine.Checkpoint> checkpoints = kept.get(EngagementDocuments.bucket(engagementId, month));
			if (checkpoints == null) {
				return ByThen.UNKNOWN;
			}
			ScoringEngine.Checkpoint last = null;
			for (ScoringEngine.Checkpoint checkpoint : checkpoints) {
				if (checkpoint.now().isAfter(at)) {
					break;
				}
				last = checkpoint;
			}
			if (last != null) {
				return new ByThen(true, last);
			}
		}
		// the latest month held only later events: with no month before it there was no
		// event by then, else the month before should have held one
		return (candidates.size() < 2) ? ByThen.NONE : ByThen.UNKNOWN;
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

	/** How many months of history one query reads, the latest first, for a page of it. */
	private static final int MONTHS_PER_READ = 6;

	/**
	 * A page of the history in occurrence order: each event's data next to the scores it
	 * produced and why. The latest {@code limit} events of the range, read month by month
	 * from the latest, so that a page costs what it holds rather than the whole history.
	 * @param from only events that occurred at or after this, if given
	 * @param to only events that occurred at or before this, if given
	 * @param beforeSequence with {@code to}: of the events that occurred exactly at
	 * {@code to}, only those of a lower sequence (the events before a page's first)
	 * @param limit the most events a page holds
	 */
	public HistoryPage events(Generation generation, String engagementId, Collection<String> months, Instant from,
			Instant to, Long beforeSequence, int limit) {
		String fromMonth = (from != null) ? EngagementDocuments.month(from) : null;
		String toMonth = (to != null) ? EngagementDocuments.month(to) : null;
		List<String> latestFirst = new ArrayList<>(new TreeSet<>(months).descendingSet());
		latestFirst.removeIf((month) -> (fromMonth != null && month.compareTo(fromMonth) < 0)
				|| (toMonth != null && month.compareTo(toMonth) > 0));
		List<Document> newestFirst = new ArrayList<>();
		int read = 0;
		while (read < latestFirst.size() && newestFirst.size() <= limit) {
			List<String> chunk = latestFirst.subList(read, Math.min(latestFirst.size(), read + MONTHS_PER_READ));
			read += chunk.size();
			Map<Long, Document> data = new HashMap<>();
			forEachEntry(generation, engagementId, chunk, data::put);
			List<Document> points = timeline(generation, engagementId, chunk);
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
	 * The history's events, or only those recorded by {@code knownAt} when it is given.
	 */
	private List<ScorableEvent> load(Generation generation, String engagementId, Collection<String> months,
			Instant knownAt) {
		Predicate<Document> known = (entry) -> knownAt == null || entry.getString("recordedAt") == null
				|| !Instant.parse(entry.getString("recordedAt")).isAfter(knownAt);
		List<ScorableEvent> events = new ArrayList<>();
		forEachEntry(generation, engagementId, months, (sequence, entry) -> {
			if (known.test(entry)) {
				EngagementEventTypes.classOf(entry.getString("type"))
					.ifPresent((type) -> events.add(new ScorableEvent(sequence, entry.getString("eventId"),
							read(EngagementDocuments.data(entry), type))));
			}
		});
		return events;
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
