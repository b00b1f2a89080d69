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
			"engagement_timeline", "alerts");

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
