package dev.trustledger.query.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Deliveries of alerts to subscriptions, in two collections.
 * <ul>
 * <li>{@code webhook_deliveries}, the log: one document per subscription and alert, under
 * {@code <subscription>:<alert>}, with its state and its latest attempts. Its id makes
 * queuing the same alert twice (a redelivered record) a no-op.</li>
 * <li>{@code webhook_pending}, the queue: one document per delivery still to be made,
 * with the body to send and when. It holds only what is outstanding, so the dispatcher's
 * poll reads what is due without passing over the log, which grows with every alert ever
 * sent.</li>
 * </ul>
 * A delivery is written to the log first, then to the queue; a crash between the two is
 * mended when the alert is read again (its log says pending, its queue entry is missing).
 * An attempt is claimed for a lease, so that two instances never send the same attempt at
 * once; a claim that outlives its instance runs out and the delivery is sent again: at
 * least once.
 */
final class Deliveries {

	static final String LOG = "webhook_deliveries";

	static final String QUEUE = "webhook_pending";

	/** The attempts the log keeps of each delivery, the latest. */
	static final int ATTEMPTS_KEPT = 20;

	enum State {

		/** Queued, or failed and waiting for its next attempt. */
		PENDING,
		/** A 2xx came back. */
		DELIVERED,
		/** Refused for good, gone, or out of retries. */
		FAILED,
		/** Its subscription was disabled or deleted before it succeeded. */
		ABANDONED

	}

	private final MongoDatabase database;

	Deliveries(MongoDatabase database) {
		this.database = database;
	}

	/** The indexes a real MongoDB needs for the log's listing and the queue's poll. */
	void ensureIndexes() {
		log().createIndex(Indexes.compoundIndex(Indexes.ascending("subscriptionId"), Indexes.descending("queuedAt")),
				new IndexOptions().name("subscription_queued"));
		queue().createIndex(Indexes.ascending("nextAttemptAt"), new IndexOptions().name("next_attempt"));
	}

	static String id(String subscriptionId, String alertId) {
		return subscriptionId + ":" + alertId;
	}

	/**
	 * Queues a delivery unless it was queued before; mends a delivery whose queue entry a
	 * crash lost. {@code trace} is the alert's trace context: each attempt continues it.
	 * @return whether it is (still) pending
	 */
	boolean queue(Subscription subscription, AlertMessage message, Instant now, Map<String, String> trace) {
		String id = id(subscription.id(), message.alertId());
		Document entry = new Document("_id", id).append("subscriptionId", subscription.id())
			.append("alertId", message.alertId())
			.append("kind", message.kind())
			.append("engagementId", message.engagementId())
			.append("queuedAt", Date.from(now))
			.append("state", State.PENDING.name())
			.append("attemptCount", 0)
			.append("attempts", List.of());
		if (!insert(log(), entry)) {
			Document logged = log().find(Filters.eq("_id", id)).first();
			if (logged == null || !State.PENDING.name().equals(logged.getString("state"))) {
				return false;
			}
		}
		insert(queue(),
				new Document("_id", id).append("subscriptionId", subscription.id())
					.append("alertId", message.alertId())
					.append("body", message.body())
					.append("trace", new Document(trace))
					.append("nextAttemptAt", Date.from(now))
					.append("failed", 0)
					.append("claimedUntil", new Date(0)));
		return true;
	}

	/** A delivery that is not sent: its subscription is disabled. */
	void skip(Subscription subscription, AlertMessage message, Instant now, String reason) {
		insert(log(),
				new Document("_id", id(subscription.id(), message.alertId()))
					.append("subscriptionId", subscription.id())
					.append("alertId", message.alertId())
					.append("kind", message.kind())
					.append("engagementId", message.engagementId())
					.append("queuedAt", Date.from(now))
					.append("state", State.ABANDONED.name())
					.append("reason", reason)
					.append("attemptCount", 0)
					.append("attempts", List.of())
					.append("finishedAt", Date.from(now)));
	}

	/** A delivery that is due: its id and subscription. */
	record Due(String id, String subscriptionId) {
	}

	/**
	 * The deliveries due at {@code now} and not claimed, the longest due first, leaving
	 * out the subscriptions given (this instance is sending one of theirs already), so
	 * that one subscription's backlog does not hide the others'.
	 */
	List<Due> due(Instant now, int limit, Set<String> busy) {
		List<Due> due = new ArrayList<>();
		Bson filter = Filters.and(Filters.lte("nextAttemptAt", Date.from(now)),
				Filters.lte("claimedUntil", Date.from(now)));
		if (!busy.isEmpty()) {
			filter = Filters.and(filter, Filters.nin("subscriptionId", busy));
		}
		queue().find(filter)
			.projection(new Document("_id", 1).append("subscriptionId", 1))
			.sort(Sorts.ascending("nextAttemptAt", "_id"))
			.limit(limit)
			.forEach((document) -> due.add(new Due(document.getString("_id"), document.getString("subscriptionId"))));
		return due;
	}

	/** How many deliveries are outstanding. */
	long pending() {
		return queue().countDocuments();
	}

	/**
	 * A delivery claimed by this instance: what it was claimed with, so that the outcome
	 * of an attempt whose lease ran out (another instance has claimed it since) changes
	 * nothing.
	 */
	record Claim(Document delivery, String token) {

		String id() {
			return this.delivery.getString("_id");
		}

		Bson filter() {
			return Filters.and(Filters.eq("_id", id()), Filters.eq("claim", this.token));
		}

	}

	/**
	 * Claims a delivery that is due and not claimed, for {@code lease}; {@code null} when
	 * another instance has it, it is gone, or it is not due (another instance tried it
	 * since it was listed).
	 */
	Claim claim(String id, Instant now, Duration lease) {
		String token = UUID.randomUUID().toString();
		Document claimed = queue().findOneAndUpdate(
				Filters.and(Filters.eq("_id", id), Filters.lte("claimedUntil", Date.from(now)),
						Filters.lte("nextAttemptAt", Date.from(now))),
				Updates.combine(Updates.set("claimedUntil", Date.from(now.plus(lease))), Updates.set("claim", token)),
				new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
		return (claimed != null) ? new Claim(claimed, token) : null;
	}

	/** An attempt as the log keeps it. */
	record Attempt(Instant at, int status, String error, long millis, String response) {

		Document document() {
			return new Document("at", Date.from(this.at)).append("status", this.status)
				.append("error", this.error)
				.append("millis", this.millis)
				.append("response", this.response);
		}

	}

	/** An attempt failed; the next is at {@code next}, unless the claim ran out. */
	void retry(Claim claim, Attempt attempt, Instant next) {
		Date first = claim.delivery().getDate("firstAttemptAt");
		boolean held = queue().updateOne(claim.filter(),
				Updates.combine(Updates.set("nextAttemptAt", Date.from(next)), Updates.inc("failed", 1),
						Updates.set("firstAttemptAt", (first != null) ? first : Date.from(attempt.at())),
						Updates.set("claimedUntil", new Date(0)), Updates.unset("claim")))
			.getModifiedCount() > 0;
		if (held) {
			recordAttempt(claim.id(), attempt, Updates.set("nextAttemptAt", Date.from(next)));
		}
	}

	/**
	 * The delivery is over: delivered, failed or abandoned; nothing changes if the claim
	 * ran out.
	 */
	void finish(Claim claim, Attempt attempt, State state, String reason, Instant at) {
		if (queue().deleteOne(claim.filter()).getDeletedCount() > 0) {
			end(claim.id(), attempt, state, reason, at);
		}
	}

	private void end(String id, Attempt attempt, State state, String reason, Instant at) {
		Bson ended = Updates.combine(Updates.set("state", state.name()), Updates.set("reason", reason),
				Updates.set("finishedAt", Date.from(at)), Updates.unset("nextAttemptAt"));
		if (attempt != null) {
			recordAttempt(id, attempt, ended);
		}
		else {
			log().updateOne(Filters.eq("_id", id), ended);
		}
	}

	/** Every outstanding delivery of a subscription ends, with the reason. */
	void abandon(String subscriptionId, String reason, Instant at) {
		List<String> ids = new ArrayList<>();
		queue().find(Filters.eq("subscriptionId", subscriptionId))
			.projection(new Document("_id", 1))
			.forEach((document) -> ids.add(document.getString("_id")));
		for (String id : ids) {
			if (queue().deleteOne(Filters.eq("_id", id)).getDeletedCount() > 0) {
				end(id, null, State.ABANDONED, reason, at);
			}
		}
	}

	/** A subscription's deliveries, the latest queued first. */
	List<Document> log(String subscriptionId, int limit) {
		List<Document> list = new ArrayList<>();
		log().find(Filters.eq("subscriptionId", subscriptionId))
			.sort(Sorts.descending("queuedAt"))
			.limit(limit)
			.forEach(list::add);
		return list;
	}

	/** Logs a test send, which is never queued or retried. */
	void logTest(String subscriptionId, String alertId, Attempt attempt, boolean delivered) {
		log().insertOne(new Document("_id", id(subscriptionId, alertId)).append("subscriptionId", subscriptionId)
			.append("alertId", alertId)
			.append("kind", "TEST")
			.append("test", true)
			.append("queuedAt", Date.from(attempt.at()))
			.append("state", (delivered ? State.DELIVERED : State.FAILED).name())
			.append("attemptCount", 1)
			.append("attempts", List.of(attempt.document()))
			.append("finishedAt", Date.from(attempt.at())));
	}

	private void recordAttempt(String id, Attempt attempt, Bson more) {
		log().updateOne(Filters.eq("_id", id),
				Updates.combine(
						Updates.pushEach("attempts", List.of(attempt.document()),
								new PushOptions().slice(-ATTEMPTS_KEPT)),
						Updates.inc("attemptCount", 1), Updates.set("lastAttemptAt", Date.from(attempt.at())), more));
	}

	private static boolean insert(MongoCollection<Document> collection, Document document) {
		try {
			collection.insertOne(document);
			return true;
		}
		catch (MongoWriteException ex) {
			if (ex.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw ex;
			}
			return false;
		}
	}

	private MongoCollection<Document> log() {
		return this.database.getCollection(LOG);
	}

	private MongoCollection<Document> queue() {
		return this.database.getCollection(QUEUE);
	}

}
