package dev.trustledger.query.projection;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.result.UpdateResult;
import dev.trustledger.query.alert.AlertDetector;
import dev.trustledger.query.alert.Alerts;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.scoring.ScorePoint;
import dev.trustledger.scoring.ScoringEngine;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The current state of each engagement, one document per engagement keyed by its id, in
 * the current generation. The document records the last applied sequence number, so a
 * redelivered or replayed event changes nothing, and a gap in the sequence is logged and
 * kept on the document instead of being silently skipped. The document is written last
 * and only if nobody else wrote it meanwhile: it is the commit point of an event. Times
 * come from the events, never from this service's clock.
 */
@Component
public class EngagementProjection {

	public static final String COLLECTION = "engagements";

	private static final Logger log = LoggerFactory.getLogger(EngagementProjection.class);

	private final Generations generations;

	private final ScoreProjection scores;

	private final Alerts alerts;

	private final ApplicationEventPublisher events;

	private final LatestSequences latest;

	EngagementProjection(Generations generations, ScoreProjection scores, Alerts alerts,
			ApplicationEventPublisher events, LatestSequences latest) {
		this.events = events;
		this.latest = latest;
		this.generations = generations;
		this.scores = scores;
		this.alerts = alerts;
	}

	/** Applies a live event to the current generation and publishes what it raises. */
	public Outcome apply(RecordedEvent recorded) {
		return apply(this.generations.current(), recorded, true);
	}

	public Outcome apply(Generation generation, RecordedEvent recorded, boolean publishAlerts) {
		Document current = generation.collection(COLLECTION).find(Filters.eq("_id", recorded.engagementId())).first();
		long last = (current != null) ? current.get("lastSequence", Number.class).longValue() : -1;
		if (recorded.sequence() <= last) {
			log.debug("Event {} #{} of {} already applied", recorded.eventId(), recorded.sequence(),
					recorded.engagementId());
			return Outcome.DUPLICATE;
		}
		// before anything of it is written: no answer kept for an earlier sequence is
		// given from memory once the store may hold this event
		this.latest.announced(recorded.engagementId(), recorded.sequence());
		if (!recorded.known()) {
			log.warn("Event type {} is not known to this query service; counting it without projecting it",
					recorded.type());
		}
		Document next = (current != null) ? current : new Document("_id", recorded.engagementId());
		EngagementDocuments.applyFacts(next, recorded);
		String month = null;
		AlertDetector.State alertState = null;
		ScoringEngine.Timeline timeline = null;
		ScoreProjection.Recorded written = null;
		if (recorded.known()) {
			// history, timeline and alerts first: the engagement document is the commit
			// point
			month = EngagementDocuments.month(recorded.event().occurredAt());
			List<String> months = EngagementDocuments.months(next);
			if (!months.contains(month)) {
				months.add(month);
			}
			written = this.scores.record(generation, recorded, months, last, TimelineLayout.of(next));
			timeline = written.timeline();
			next.put(TimelineLayout.FIELD, written.layout().starts());
			List<ScorePoint> points = timeline.points();
			AlertDetector.Result raised = AlertDetector.detect(recorded.engagementId(), points,
					EngagementDocuments.alertState(next), generation.engine().model().alerts(),
					EngagementDocuments.sponsorLost(next));
			this.alerts.raise(generation, raised.alerts(), publishAlerts);
			EngagementDocuments.applyAlerts(next, raised.alerts());
			alertState = raised.state();
			EngagementDocuments.applyScores(next, points);
		}
		EngagementDocuments.applyArrival(next, recorded, last, month, alertState);
		Outcome outcome = Outcome.APPLIED;
		if (recorded.sequence() != last + 1) {
			log.warn(
					"Sequence gap on engagement {}: expected #{}, received #{} (event {}); applying it and keeping the gap on record",
					recorded.engagementId(), last + 1, recorded.sequence(), recorded.eventId());
			outcome = Outcome.APPLIED_AFTER_GAP;
		}
		commit(generation, recorded, current != null, last, next);
		// and again once written: a read that fetched the document just before may have
		// learnt the sequence before it
		this.latest.announced(recorded.engagementId(), recorded.sequence());
		if (written != null) {
			try {
				this.scores.removed(generation, written);
			}
			catch (RuntimeException ex) {
				// committed: the event is not applied again, and no layout names them
				log.warn("Timeline buckets {} of engagement {} not removed: {}", written.gone(),
						recorded.engagementId(), ex.toString());
			}
			this.scores.committed(generation, recorded.engagementId(), recorded.sequence(), timeline);
		}
		this.events.publishEvent(new EngagementCommitted(generation.number(), next));
		return outcome;
	}

	private static void commit(Generation generation, RecordedEvent recorded, boolean existed, long last,
			Document next) {
		String conflict = "Engagement " + recorded.engagementId() + " changed while event #" + recorded.sequence()
				+ " was applied; it will be retried";
		if (!existed) {
			try {
				generation.collection(COLLECTION).insertOne(next);
			}
			catch (MongoWriteException ex) {
				if (ex.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
					throw new IllegalStateException(conflict, ex);
				}
				throw ex;
			}
			return;
		}
		UpdateResult result = generation.collection(COLLECTION)
			// _id at the top level, not under $and: the embedded server then reads
			// that document alone (IndexedH2Backend), as MongoDB does
			.replaceOne(new Document("_id", recorded.engagementId()).append("lastSequence", last), next);
		if (result.getMatchedCount() == 0) {
			throw new IllegalStateException(conflict);
		}
	}

	/**
	 * One page of engagements matching {@code filter}, in {@code order}, and how many
	 * match in all.
	 */
	public Page page(Generation generation, Bson filter, Bson order, int page, int size) {
		List<Document> items = new ArrayList<>();
		generation.collection(COLLECTION)
			.find(filter)
			.sort(order)
			// a page past the last is empty, however far past
			.skip((int) Math.min(Integer.MAX_VALUE, (long) page * size))
			.limit(size)
			.batchSize(Math.min(size, 200))
			.projection(Projections.exclude("promises", "historyMonths"))
			.forEach(items::add);
		return new Page(items, generation.collection(COLLECTION).countDocuments(filter));
	}

	/**
	 * Every engagement matching {@code filter} in id order, read a batch at a time,
	 * without its promises.
	 */
	public void forEach(Generation generation, Bson filter, java.util.function.Consumer<Document> action) {
		generation.collection(COLLECTION)
			.find(filter)
			.sort(new Document("_id", 1))
			.batchSize(200)
			.projection(Projections.exclude("promises"))
			.forEach(action);
	}

	public record Page(List<Document> items, long total) {
	}

	public Document find(Generation generation, String engagementId) {
		return generation.collection(COLLECTION).find(Filters.eq("_id", engagementId)).first();
	}

	/** What applying one event did. */
	public enum Outcome {

		APPLIED, APPLIED_AFTER_GAP, DUPLICATE

	}

}
