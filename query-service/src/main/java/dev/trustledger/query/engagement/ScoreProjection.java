package dev.trustledger.query.engagement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.EngagementEventTypes;
import dev.trustledger.scoring.ScorableEvent;
import dev.trustledger.scoring.ScorePoint;
import dev.trustledger.scoring.ScoringEngine;
import org.bson.Document;

import org.springframework.boot.autoconfigure.mongo.MongoProperties;
import org.springframework.stereotype.Component;

/**
 * Scores every engagement from its whole history. The history is kept in monthly buckets
 * ({@code _id} = engagement and month of occurrence), each event under its sequence
 * number so that writing it again changes nothing. After each event the engagement is
 * re-folded by the scoring engine in occurrence order, so a backdated event lands where
 * it belongs and the result equals the one had the events been recorded in order. The
 * timeline is written back in monthly buckets too: reading it is a handful of primary-key
 * lookups.
 */
@Component
class ScoreProjection {

	static final String HISTORY = "engagement_history";

	static final String TIMELINE = "engagement_timeline";

	private final MongoCollection<Document> history;

	private final MongoCollection<Document> timeline;

	private final ScoringEngine engine;

	private final ObjectMapper objectMapper;

	ScoreProjection(MongoClient client, MongoProperties properties, ScoringEngine engine, ObjectMapper objectMapper) {
		var database = client.getDatabase(properties.getMongoClientDatabase());
		this.history = database.getCollection(HISTORY);
		this.timeline = database.getCollection(TIMELINE);
		this.engine = engine;
		this.objectMapper = objectMapper;
	}

	static String month(Instant instant) {
		return YearMonth.from(instant.atOffset(ZoneOffset.UTC)).toString();
	}

	static String bucket(String engagementId, String month) {
		return engagementId + "#" + month;
	}

	/**
	 * Adds one event to the history and re-scores the engagement.
	 * @param months the months of occurrence the history already has
	 * @return the fields the engagement's current state takes from the new timeline
	 */
	Scored record(RecordedEvent recorded, Collection<String> months) {
		String month = month(recorded.event().occurredAt());
		Document entry = new Document("eventId", recorded.eventId()).append("type", recorded.type())
			.append("recordedAt", recorded.recordedAt().toString())
			.append("data", Document.parse(json(recorded.event())));
		this.history.updateOne(Filters.eq("_id", bucket(recorded.engagementId(), month)),
				Updates.set("events." + recorded.sequence(), entry), new UpdateOptions().upsert(true));
		TreeSet<String> allMonths = new TreeSet<>(months);
		allMonths.add(month);
		List<ScorePoint> points = this.engine.score(load(recorded.engagementId(), allMonths, null));
		// points before the event's month cannot have changed: rewrite from its month on
		writeTimeline(recorded.engagementId(), points, month);
		ScorePoint last = points.get(points.size() - 1);
		return new Scored(points,
				List.of(Updates.addToSet("historyMonths", month), Updates.set("scores", current(points, last))));
	}

	/** The engagement's new timeline, and the updates its current state takes from it. */
	record Scored(List<ScorePoint> points, List<org.bson.conversions.Bson> updates) {
	}

	/** The engagement's scored timeline, month by month, for the months asked. */
	List<Document> timeline(String engagementId, Collection<String> months) {
		List<Document> points = new ArrayList<>();
		for (String month : new TreeSet<>(months)) {
			Document bucket = this.timeline.find(Filters.eq("_id", bucket(engagementId, month))).first();
			if (bucket != null) {
				points.addAll(bucket.getList("points", Document.class));
			}
		}
		return points;
	}

	/**
	 * The scores as they stood at business time {@code asOf}, from the events that had
	 * occurred by then.
	 */
	ScoringEngine.Scores scoresAt(String engagementId, Collection<String> months, Instant asOf) {
		return scoresAt(engagementId, months, asOf, null);
	}

	/**
	 * What we knew at recording time {@code knownAt} about business time {@code asOf}:
	 * only the events recorded by then count. Backdated incidents make this differ from
	 * {@link #scoresAt(String, Collection, Instant)}.
	 */
	ScoringEngine.Scores scoresAt(String engagementId, Collection<String> months, Instant asOf, Instant knownAt) {
		return this.engine.scoresAt(load(engagementId, months, knownAt), asOf);
	}

	/**
	 * The history in occurrence order: each event's data next to the scores it produced
	 * and why.
	 */
	List<Document> events(String engagementId, Collection<String> months) {
		Map<Long, Document> data = new java.util.HashMap<>();
		for (String month : months) {
			Document bucket = this.history.find(Filters.eq("_id", bucket(engagementId, month))).first();
			if (bucket != null) {
				bucket.get("events", Document.class)
					.forEach((sequence, entry) -> data.put(Long.parseLong(sequence), (Document) entry));
			}
		}
		List<Document> events = new ArrayList<>();
		for (Document point : timeline(engagementId, months)) {
			long sequence = point.get("sequence", Number.class).longValue();
			Document entry = data.get(sequence);
			events.add(new Document("sequence", sequence).append("eventId", point.getString("eventId"))
				.append("type", (entry != null) ? entry.getString("type") : point.getString("eventType"))
				.append("occurredAt", point.getString("occurredAt"))
				.append("data", (entry != null) ? entry.get("data") : null)
				.append("trust", point.get("trust"))
				.append("mutualResponsibility", point.get("mutualResponsibility"))
				.append("contributions", point.get("explanation")));
		}
		return events;
	}

	/**
	 * The history's events, or only those recorded by {@code knownAt} when it is given.
	 */
	private List<ScorableEvent> load(String engagementId, Collection<String> months, Instant knownAt) {
		List<ScorableEvent> events = new ArrayList<>();
		for (String month : months) {
			Document bucket = this.history.find(Filters.eq("_id", bucket(engagementId, month))).first();
			if (bucket == null) {
				continue;
			}
			bucket.get("events", Document.class).forEach((sequence, value) -> {
				Document entry = (Document) value;
				String recordedAt = entry.getString("recordedAt");
				if (knownAt != null && recordedAt != null && Instant.parse(recordedAt).isAfter(knownAt)) {
					return;
				}
				EngagementEventTypes.classOf(entry.getString("type"))
					.ifPresent((type) -> events.add(new ScorableEvent(Long.parseLong(sequence),
							entry.getString("eventId"), read(entry.get("data", Document.class), type))));
			});
		}
		return events;
	}

	private void writeTimeline(String engagementId, List<ScorePoint> points, String fromMonth) {
		Map<String, List<Document>> byMonth = new LinkedHashMap<>();
		for (ScorePoint point : points) {
			String month = month(point.occurredAt());
			if (month.compareTo(fromMonth) >= 0) {
				byMonth.computeIfAbsent(month, (key) -> new ArrayList<>()).add(Document.parse(json(point)));
			}
		}
		byMonth.forEach((month, monthPoints) -> this.timeline.replaceOne(Filters.eq("_id", bucket(engagementId, month)),
				new Document("_id", bucket(engagementId, month)).append("points", monthPoints),
				new ReplaceOptions().upsert(true)));
	}

	/** The current state: the last point, and the change over the 30 days before it. */
	private Document current(List<ScorePoint> points, ScorePoint last) {
		Instant monthAgo = last.occurredAt().minus(Duration.ofDays(30));
		ScorePoint before = null;
		for (ScorePoint point : points) {
			if (!point.occurredAt().isAfter(monthAgo)) {
				before = point;
			}
		}
		Document current = Document.parse(json(last));
		current.append("trend30d", (before != null) ? last.trust().subtract(before.trust()).doubleValue()
				: last.trust().subtract(points.get(0).trust()).doubleValue());
		return current;
	}

	private String json(Object value) {
		try {
			return this.objectMapper.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private EngagementEvent read(Document data, Class<? extends EngagementEvent> type) {
		try {
			return this.objectMapper.readValue(data.toJson(), type);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
