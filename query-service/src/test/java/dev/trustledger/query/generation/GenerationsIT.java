package dev.trustledger.query.generation;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.trustledger.infra.EmbeddedMongoServer;
import dev.trustledger.infra.Ports;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The changes of the live model are kept in memory for the timelines, and what a switch
 * adds is stored: a service started later knows every change, in order.
 */
class GenerationsIT {

	@TempDir
	Path dataDir;

	private EmbeddedMongoServer server;

	private MongoClient client;

	private MongoDatabase database;

	@BeforeEach
	void start() {
		this.server = new EmbeddedMongoServer(this.dataDir.resolve("mongo.mv"), Ports.freePorts(1)[0]);
		this.server.start();
		this.client = MongoClients.create(this.server.connectionString());
		this.database = this.client.getDatabase("generations");
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.close();
	}

	@Test
	void aChangeOfModelIsKnownAtOnceAndToAServiceStartedLater() {
		ScoringModels models = models(this.database);
		Generations generations = new Generations(this.database, models);
		assertThat(generations.modelChanges()).isEmpty();

		Generation harsh = generations.allocate("v2-harsh", "candidate", Instant.parse("2026-05-01T00:00:00Z"));
		generations.switchTo(harsh, Instant.parse("2026-05-02T00:00:00Z"));
		assertThat(generations.current().number()).isEqualTo(harsh.number());
		assertThat(changes(generations)).containsExactly("v1>v2-harsh@2026-05-02T00:00:00Z");

		// the same model again is no change
		Generation again = generations.allocate("v2-harsh", "rebuild", Instant.parse("2026-05-03T00:00:00Z"));
		generations.switchTo(again, Instant.parse("2026-05-04T00:00:00Z"));
		Generation back = generations.allocate("v1", "rollback", Instant.parse("2026-05-05T00:00:00Z"));
		generations.switchTo(back, Instant.parse("2026-05-06T00:00:00Z"));
		List<String> expected = List.of("v1>v2-harsh@2026-05-02T00:00:00Z", "v2-harsh>v1@2026-05-06T00:00:00Z");
		assertThat(changes(generations)).isEqualTo(expected);

		Generations restarted = new Generations(this.database, models(this.database));
		assertThat(restarted.current().number()).isEqualTo(back.number());
		assertThat(changes(restarted)).isEqualTo(expected);
	}

	/**
	 * A service that stopped between moving the pointer and storing the change (or whose
	 * write of it failed) records it at its next start, once; so does one whose pointer
	 * was written before it named the previous model.
	 */
	@Test
	void aChangeNotStoredAtTheSwitchIsRecordedAtTheNextStartOnce() {
		Generations generations = new Generations(this.database, models(this.database));
		Generation harsh = generations.allocate("v2-harsh", "candidate", Instant.parse("2026-05-01T00:00:00Z"));
		generations.switchTo(harsh, Instant.parse("2026-05-02T00:00:00Z"));
		MongoCollection<Document> stored = this.database.getCollection(Generations.MODEL_CHANGES);
		stored.deleteMany(new Document());

		List<String> expected = List.of("v1>v2-harsh@2026-05-02T00:00:00Z");
		assertThat(changes(new Generations(this.database, models(this.database)))).isEqualTo(expected);
		assertThat(changes(new Generations(this.database, models(this.database)))).isEqualTo(expected);
		assertThat(stored.countDocuments()).isEqualTo(1);

		stored.deleteMany(new Document());
		this.database.getCollection(Generations.COLLECTION)
			.updateOne(Filters.eq("_id", "current"), Updates.unset("previousModel"));
		assertThat(changes(new Generations(this.database, models(this.database)))).isEqualTo(expected);
		assertThat(stored.countDocuments()).isEqualTo(1);
	}

	private static ScoringModels models(MongoDatabase database) {
		ScoringModels models = new ScoringModels(new ScoringEngine(ScoringModel.defaultModel()),
				database.getCollection(ScoringModels.COLLECTION));
		String yaml = models.yaml("v1").replaceFirst("(?m)^version: v1$", "version: v2-harsh");
		models.save(ScoringModels.parse(yaml), yaml, Instant.parse("2026-04-30T00:00:00Z"));
		return models;
	}

	private static List<String> changes(Generations generations) {
		return generations.modelChanges()
			.stream()
			.map((Document change) -> change.getString("from") + ">" + change.getString("to") + "@"
					+ change.getDate("at").toInstant())
			.toList();
	}

}
