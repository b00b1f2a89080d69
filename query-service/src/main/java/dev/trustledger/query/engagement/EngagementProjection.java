package dev.trustledger.query.engagement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.IncidentEvent;
import dev.trustledger.events.engagement.EngagementClosed;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.engagement.EngagementReopened;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.events.promise.PromiseKept;
import dev.trustledger.events.promise.PromiseMade;
import dev.trustledger.events.sponsor.SponsorGained;
import dev.trustledger.events.sponsor.SponsorLost;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.mongo.MongoProperties;
import org.springframework.stereotype.Component;

/**
 * The current state of each engagement, one document per engagement keyed by its id.
 * Every update sets individual fields and records the last applied sequence number, so a
 * redelivered or replayed event changes nothing, and a gap in the sequence is logged and
 * kept on the document instead of being silently skipped. Times come from the events,
 * never from this service's clock.
 */
@Component
class EngagementProjection {

	static final String COLLECTION = "engagements";

	private static final Logger log = LoggerFactory.getLogger(EngagementProjection.class);

	private final MongoCollection<Document> engagements;

	private final ScoreProjection scores;

	private final Alerts alerts;

	EngagementProjection(MongoClient client, MongoProperties properties, ScoreProjection scores, Alerts alerts) {
		this.engagements = client.getDatabase(properties.getMongoClientDatabase()).getCollection(COLLECTION);
		this.scores = scores;
		this.alerts = alerts;
	}

	Outcome apply(RecordedEvent recorded) {
		Document current = this.engagements.find(Filters.eq("_id", recorded.engagementId()))
			.projection(Projections.include("lastSequence", "lastEventAt", "historyMonths", "alertState"))
			.first();
		long last = (current != null) ? current.get("lastSequence", Number.class).longValue() : -1;
		if (recorded.sequence() <= last) {
			log.debug("Event {} #{} of {} already applied", recorded.eventId(), recorded.sequence(),
					recorded.engagementId());
			return Outcome.DUPLICATE;
		}
		List<Bson> updates = new ArrayList<>(changes(recorded));
		if (recorded.known()) {
			// history and timeline first: the engagement document below is the commit
			// point
			List<String> months = (current != null && current.containsKey("historyMonths"))
					? current.getList("historyMonths", String.class) : List.of();
			ScoreProjection.Scored scored = this.scores.record(recorded, months);
			updates.addAll(scored.updates());
			Document raised = (current != null) ? current.get("alertState", Document.class) : null;
			AlertDetector.State state = this.alerts.raise(recorded.engagementId(), scored.points(),
					(raised != null)
							? new AlertDetector.State(raised.getBoolean("dropped"), raised.getBoolean("atRisk"))
							: AlertDetector.State.NONE);
			updates.add(Updates.set("alertState",
					new Document("dropped", state.dropped()).append("atRisk", state.atRisk())));
		}
		updates.add(Updates.set("lastSequence", recorded.sequence()));
		updates.add(Updates.inc("eventCount", 1));
		updates.add(Updates.set("lastRecordedAt", date(recorded.recordedAt())));
		if (recorded.known()) {
			Date occurredAt = date(recorded.event().occurredAt());
			Date lastEventAt = (current != null) ? current.getDate("lastEventAt") : null;
			if (lastEventAt == null || occurredAt.after(lastEventAt)) {
				updates.add(Updates.set("lastEventAt", occurredAt));
			}
		}
		Outcome outcome = Outcome.APPLIED;
		if (recorded.sequence() != last + 1) {
			log.warn(
					"Sequence gap on engagement {}: expected #{}, received #{} (event {}); applying it and keeping the gap on record",
					recorded.engagementId(), last + 1, recorded.sequence(), recorded.eventId());
			updates.add(Updates.push("sequenceGaps",
					new Document("expected", last + 1).append("received", recorded.sequence())));
			outcome = Outcome.APPLIED_AFTER_GAP;
		}
		Bson filter = (current != null)
				? Filters.and(Filters.eq("_id", recorded.engagementId()), Filters.eq("lastSequence", last))
				: Filters.eq("_id", recorded.engagementId());
		UpdateResult result = this.engagements.updateOne(filter, Updates.combine(updates),
				new UpdateOptions().upsert(current == null));
		if (current != null && result.getMatchedCount() == 0) {
			throw new IllegalStateException("Engagement " + recorded.engagementId() + " changed while event #"
					+ recorded.sequence() + " was applied; it will be retried");
		}
		return outcome;
	}

	/**
	 * One page of engagements matching {@code filter}, in {@code order}, and how many
	 * match in all.
	 */
	Page page(Bson filter, Bson order, int page, int size) {
		List<Document> items = new ArrayList<>();
		this.engagements.find(filter)
			.sort(order)
			.skip(page * size)
			.limit(size)
			.projection(Projections.exclude("promises", "historyMonths"))
			.forEach(items::add);
		return new Page(items, this.engagements.countDocuments(filter));
	}

	record Page(List<Document> items, long total) {
	}

	Document find(String engagementId) {
		return this.engagements.find(Filters.eq("_id", engagementId)).first();
	}

	private static List<Bson> changes(RecordedEvent recorded) {
		List<Bson> changes = new ArrayList<>();
		EngagementEvent event = recorded.event();
		if (event == null) {
			log.warn("Event type {} is not known to this query service; counting it without projecting it",
					recorded.type());
			return changes;
		}
		if (event instanceof EngagementOpened opened) {
			changes.addAll(List.of(Updates.set("clientName", opened.clientName()),
					Updates.set("accountTeam", opened.accountTeam()),
					Updates.set("deliveryLead", opened.deliveryLead()), Updates.set("sponsor", opened.sponsor()),
					Updates.set("openedAt", date(opened.openedAt())), Updates.set("status", "OPEN")));
		}
		else if (event instanceof EngagementClosed) {
			changes.add(Updates.set("status", "CLOSED"));
		}
		else if (event instanceof EngagementReopened) {
			changes.add(Updates.set("status", "OPEN"));
		}
		else if (event instanceof PromiseMade made) {
			changes.add(Updates.set("promises." + made.promiseId(),
					new Document("party", made.party().name()).append("severity", made.severity())
						.append("description", made.description())
						.append("madeAt", date(made.occurredAt()))
						.append("dueBy", date(made.dueBy()))
						.append("state", "OPEN")));
		}
		else if (event instanceof PromiseKept kept) {
			changes.addAll(resolved(kept.promiseId(), "KEPT", kept.occurredAt()));
		}
		else if (event instanceof PromiseBroken broken) {
			changes.add(Updates.inc("brokenPromises." + broken.party().name().toLowerCase(Locale.ROOT), 1));
			if (broken.promiseId() != null) {
				changes.addAll(resolved(broken.promiseId(), "BROKEN", broken.occurredAt()));
			}
		}
		else if (event instanceof SponsorLost) {
			changes.add(Updates.set("sponsor", null));
		}
		else if (event instanceof SponsorGained gained) {
			changes.add(Updates.set("sponsor", gained.sponsor()));
		}
		if (event instanceof IncidentEvent incident) {
			String type = incidentType(incident);
			changes.add(Updates.inc("incidentCounts." + type, 1));
		}
		return changes;
	}

	private static List<Bson> resolved(String promiseId, String state, Instant at) {
		return List.of(Updates.set("promises." + promiseId + ".state", state),
				Updates.set("promises." + promiseId + ".resolvedAt", date(at)));
	}

	/**
	 * {@code PromiseBroken} becomes {@code PROMISE_BROKEN}: the incident types of the
	 * command API.
	 */
	static String incidentType(IncidentEvent incident) {
		return incident.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
	}

	private static Date date(Instant instant) {
		return Date.from(instant);
	}

	/** What applying one event did. */
	enum Outcome {

		APPLIED, APPLIED_AFTER_GAP, DUPLICATE

	}

}
