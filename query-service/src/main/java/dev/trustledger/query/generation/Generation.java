package dev.trustledger.query.generation;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.trustledger.scoring.ScoringEngine;
import org.bson.Document;

/**
 * One complete set of projection collections, built by one scoring model. Generation 0
 * uses the plain collection names, so data kept before generations existed is generation
 * 0; generation {@code n} adds {@code _g<n>} to every name.
 *
 * @param number the generation's number, unique within the database
 * @param model the name of the scoring model that built it
 * @param engine the engine for that model
 */
public record Generation(int number, String model, ScoringEngine engine, MongoDatabase database) {

	/** Every collection a generation owns. */
	public static final java.util.List<String> COLLECTIONS = java.util.List.of("engagements", "engagement_history",
			"engagement_timeline", "engagement_checkpoints", "alerts", "engagement_alerts");

	/**
	 * The secondary indexes the queries that still go to the store need on a real MongoDB
	 * (the embedded server ignores them): the portfolio read from the store while its
	 * in-memory index loads, sorted by each score; the portfolio as of a date, by opening
	 * time; the most recent alerts. Everything else is read by {@code _id}.
	 */
	public static final java.util.Map<String, java.util.List<Document>> INDEXES = java.util.Map.of("engagements",
			java.util.List.of(new Document("scores.trust", 1).append("_id", 1),
					new Document("scores.mutualResponsibility", 1).append("_id", 1),
					new Document("scores.trend30d", 1).append("_id", 1), new Document("openedAt", 1)),
			"alerts", java.util.List.of(new Document("occurredAt", -1)));

	/** Creates the {@link #INDEXES}; creating one that exists changes nothing. */
	public void ensureIndexes() {
		INDEXES.forEach((base, keys) -> keys.forEach((key) -> collection(base).createIndex(key)));
	}

	public MongoCollection<Document> collection(String base) {
		return this.database.getCollection(name(base));
	}

	public String name(String base) {
		return (this.number == 0) ? base : base + "_g" + this.number;
	}

	/** Drops every collection of this generation. */
	public void drop() {
		java.util.List<String> existing = this.database.listCollectionNames().into(new java.util.ArrayList<>());
		for (String base : COLLECTIONS) {
			if (existing.contains(name(base))) {
				collection(base).drop();
			}
		}
	}

	@Override
	public String toString() {
		return "generation " + this.number + " (model " + this.model + ")";
	}

}
