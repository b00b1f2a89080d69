package dev.trustledger.query.webhook;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/**
 * The subscriptions, in {@code webhook_subscriptions}: settings, not projections, so they
 * live outside the generations and survive every rebuild.
 */
final class Subscriptions {

	private static final char[] ID_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

	private final MongoDatabase database;

	private final SecureRandom random;

	Subscriptions(MongoDatabase database, SecureRandom random) {
		this.database = database;
		this.random = random;
	}

	/** A new subscription, enabled, with its first secret. */
	Subscription create(Subscription settings, Instant now) {
		Subscription created = new Subscription(newId(), settings.url(), settings.description(), settings.kinds(),
				settings.deliveryLeads(), settings.accountTeams(), settings.format(),
				List.of(new Subscription.Secret(WebhookSignature.newSecret(this.random), now, null)), true, null, null,
				0, settings.owner(), now, now);
		collection().insertOne(created.document());
		return created;
	}

	Optional<Subscription> find(String id) {
		return Optional.ofNullable(collection().find(Filters.eq("_id", id)).first()).map(Subscription::of);
	}

	/** Every subscription, or only one owner's, the oldest first. */
	List<Subscription> list(String owner) {
		List<Subscription> list = new ArrayList<>();
		collection().find((owner != null) ? Filters.eq("owner", owner) : new Document())
			.sort(Sorts.ascending("createdAt"))
			.forEach((document) -> list.add(Subscription.of(document)));
		return list;
	}

	/** Replaces what a subscription sends where; its secrets and state stay. */
	Optional<Subscription> update(String id, Subscription settings, Instant now) {
		Document updated = collection().findOneAndUpdate(Filters.eq("_id", id),
				Updates.combine(Updates.set("url", settings.url().toString()),
						Updates.set("description", settings.description()),
						Updates.set("kinds", new ArrayList<>(settings.kinds())),
						Updates.set("deliveryLeads", new ArrayList<>(settings.deliveryLeads())),
						Updates.set("accountTeams", new ArrayList<>(settings.accountTeams())),
						Updates.set("format", settings.format().name()), Updates.set("updatedAt", Date.from(now))),
				new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
		return Optional.ofNullable(updated).map(Subscription::of);
	}

	boolean delete(String id) {
		return collection().deleteOne(Filters.eq("_id", id)).getDeletedCount() > 0;
	}

	/**
	 * A new current secret; the previous one signs beside it for {@code overlap}, and any
	 * older one stops.
	 */
	Optional<Subscription> rotate(String id, Duration overlap, Instant now) {
		Optional<Subscription> found = find(id);
		if (found.isEmpty()) {
			return found;
		}
		Subscription subscription = found.get();
		List<Document> secrets = new ArrayList<>();
		secrets.add(new Document("value", WebhookSignature.newSecret(this.random)).append("createdAt", Date.from(now))
			.append("expiresAt", null));
		Subscription.Secret current = subscription.secrets().get(0);
		if (!overlap.isZero() && !overlap.isNegative()) {
			secrets.add(new Document("value", current.value()).append("createdAt", Date.from(current.createdAt()))
				.append("expiresAt", Date.from(now.plus(overlap))));
		}
		// only over the secret read: of two rotations at once, one wins and the other
		// finds the subscription changed, rather than handing out a secret never used
		Document updated = collection().findOneAndUpdate(
				Filters.and(Filters.eq("_id", id), Filters.eq("secrets.0.value", current.value())),
				Updates.combine(Updates.set("secrets", secrets), Updates.set("updatedAt", Date.from(now))),
				new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
		if (updated == null) {
			throw new ConcurrentRotationException();
		}
		return Optional.of(Subscription.of(updated));
	}

	/** Another rotation of the same subscription won. */
	static final class ConcurrentRotationException extends RuntimeException {

		ConcurrentRotationException() {
			super("The secret was rotated by another request at the same time", null, false, false);
		}

	}

	/** Enabled by hand: its failures are forgotten. */
	Optional<Subscription> enable(String id, Instant now) {
		Document updated = collection().findOneAndUpdate(Filters.eq("_id", id),
				Updates.combine(Updates.set("enabled", true), Updates.set("disabledReason", null),
						Updates.set("disabledAt", null), Updates.set("consecutiveFailures", 0),
						Updates.set("updatedAt", Date.from(now))),
				new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
		return Optional.ofNullable(updated).map(Subscription::of);
	}

	/** Disabled, by hand or by the receiver; {@code false} if it already was. */
	boolean disable(String id, String reason, Instant now) {
		return collection()
			.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("enabled", true)),
					Updates.combine(Updates.set("enabled", false), Updates.set("disabledReason", reason),
							Updates.set("disabledAt", Date.from(now)), Updates.set("updatedAt", Date.from(now))))
			.getModifiedCount() > 0;
	}

	/** An attempt succeeded: the run of failures, if any, ends. */
	void succeeded(String id) {
		collection().updateOne(Filters.and(Filters.eq("_id", id), Filters.gt("consecutiveFailures", 0)),
				Updates.set("consecutiveFailures", 0));
	}

	/** An attempt failed; @return the failures in a row, this one included. */
	int failed(String id) {
		Document updated = collection().findOneAndUpdate(Filters.eq("_id", id), Updates.inc("consecutiveFailures", 1),
				new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
		return (updated != null) ? updated.getInteger("consecutiveFailures", 0) : 0;
	}

	private String newId() {
		StringBuilder id = new StringBuilder("wh_");
		for (int i = 0; i < 20; i++) {
			id.append(ID_CHARACTERS[this.random.nextInt(ID_CHARACTERS.length)]);
		}
		return id.toString();
	}

	private MongoCollection<Document> collection() {
		return this.database.getCollection(Subscription.COLLECTION);
	}

}
