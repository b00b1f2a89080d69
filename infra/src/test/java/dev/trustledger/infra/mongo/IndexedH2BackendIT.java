package dev.trustledger.infra.mongo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The indexed backend on a data file the stock one wrote, through the MongoDB wire
 * protocol: it finds, counts and refuses duplicates of what was there, and of what it
 * added, across restarts.
 */
class IndexedH2BackendIT {

	@TempDir
	Path dataDir;

	@Test
	void readsAndExtendsWhatTheStockBackendWrote() {
		Path file = this.dataDir.resolve("mongo.mv.db");
		// string ids as the projections use; object ids and a compound unique index as
		// the event store's
		List<Object> stockIds = ids("stock", 3_000);
		List<Object> ourIds = ids("indexed", 3_000);
		List<Object> stockObjectIds = objectIds(500);
		List<Object> ourObjectIds = objectIds(500);

		withServer(file, H2Backend::new, (database) -> {
			insert(database.getCollection("things"), stockIds);
			database.getCollection("events")
				.createIndex(new Document("aggregate", 1).append("sequence", 1),
						new com.mongodb.client.model.IndexOptions().unique(true));
			insert(database.getCollection("events"), stockObjectIds);
		});
		withServer(file, IndexedH2Backend::new, (database) -> {
			MongoCollection<Document> things = database.getCollection("things");
			assertFindsEach(things, stockIds);
			assertRefusesDuplicates(things, stockIds);
			insert(things, ourIds);
			assertFindsEach(things, ourIds);
			MongoCollection<Document> events = database.getCollection("events");
			assertFindsEach(events, stockObjectIds);
			assertRefusesDuplicateSequences(events, stockObjectIds.size());
			insert(events, ourObjectIds);
		});
		withServer(file, IndexedH2Backend::new, (database) -> {
			MongoCollection<Document> things = database.getCollection("things");
			assertFindsEach(things, stockIds);
			assertFindsEach(things, ourIds);
			assertRefusesDuplicates(things, ourIds);
			assertThat(things.countDocuments()).isEqualTo(stockIds.size() + ourIds.size());
			MongoCollection<Document> events = database.getCollection("events");
			assertFindsEach(events, ourObjectIds);
			assertRefusesDuplicateSequences(events, stockObjectIds.size() + ourObjectIds.size());
		});
	}

	@Test
	void replacesDeletesAndKeepsUniqueIndexesAcrossARestart() {
		Path file = this.dataDir.resolve("mongo.mv.db");
		withServer(file, IndexedH2Backend::new, (database) -> {
			MongoCollection<Document> things = database.getCollection("things");
			insert(things, List.of("b", "a", "c"));
			things.updateOne(Filters.eq("_id", "c"), new Document("$set", new Document("code", 3)));
			things.replaceOne(Filters.eq("_id", "a"), new Document("_id", "a").append("seen", 2));
			things.deleteOne(Filters.eq("_id", "b"));
			assertThat(things.find(Filters.eq("_id", "a")).first()).containsEntry("seen", 2);
			assertThat(things.find(Filters.eq("_id", "b")).first()).isNull();
			assertThat(things.find(Filters.in("_id", "a", "b", "c")).map((document) -> document.get("_id")))
				.containsExactlyInAnyOrder("a", "c");
			things.createIndex(new Document("code", 1), new com.mongodb.client.model.IndexOptions().unique(true));
			things.updateOne(Filters.eq("_id", "a"), new Document("$set", new Document("code", 7)));
			assertThatThrownBy(
					() -> things.updateOne(Filters.eq("_id", "c"), new Document("$set", new Document("code", 7))))
				.isInstanceOf(MongoWriteException.class)
				.hasMessageContaining("E11000");
		});
		withServer(file, IndexedH2Backend::new, (database) -> {
			MongoCollection<Document> things = database.getCollection("things");
			assertThat(things.find(Filters.eq("code", 7)).first()).containsEntry("_id", "a");
			assertThat(things.find(Filters.eq("code", 3)).first()).containsEntry("_id", "c");
			assertThat(things.countDocuments()).isEqualTo(2);
		});
	}

	@Test
	void documentsUpdatedWhileTheStoreWritesInTheBackgroundAreKeptAcrossARestart() {
		Path file = this.dataDir.resolve("mongo.mv.db");
		// a store that writes its pages in the background as often as it can
		Function<MVStore, H2Backend> backend = IndexedH2Backend::new;
		withServer(file, (store) -> {
			store.setAutoCommitDelay(1);
			return backend.apply(store);
		}, (database) -> {
			MongoCollection<Document> buckets = database.getCollection("buckets");
			insert(buckets, List.of("a", "b"));
			for (int sequence = 0; sequence < 2_000; sequence++) {
				buckets.updateOne(Filters.eq("_id", (sequence % 2 == 0) ? "a" : "b"), new Document("$set",
						new Document("events." + sequence, new Document("data", "x".repeat(200)))));
			}
			assertThat(buckets.find(Filters.eq("_id", "a")).first().get("events", Document.class)).hasSize(1_000);
		});
		withServer(file, IndexedH2Backend::new, (database) -> assertThat(
				database.getCollection("buckets").find(Filters.eq("_id", "b")).first().get("events", Document.class))
			.hasSize(1_000));
	}

	/**
	 * Distinct string ids in no particular order. (One collection holds one type of id:
	 * the H2 backend keys its documents by {@code _id} and cannot order mixed types.)
	 */
	private static List<Object> ids(String prefix, int count) {
		List<Object> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(prefix + "-" + Integer.toString(i * 7919 % count, 36));
		}
		return ids;
	}

	private static List<Object> objectIds(int count) {
		List<Object> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(new ObjectId());
		}
		return ids;
	}

	/**
	 * A query, replace, update or delete that names an {@code _id} beside other
	 * conditions reads that document alone, and answers as MongoDB does: the condition
	 * that fails matches nothing, and an upsert whose condition fails on an existing id
	 * is a duplicate key. The stock server read the whole collection for each of them.
	 */
	@Test
	void aConditionBesideTheIdReadsOnlyThatDocument() {
		withIndexedServer((backend, things) -> {
			List<Object> ids = ids("thing", 2_000);
			insert(things, ids);
			String id = (String) ids.get(1_234);
			long before = backend.documentsExamined();

			assertThat(things.find(new Document("_id", id).append("sequence", 1_234L)).first()).containsEntry("_id",
					id);
			assertThat(things.find(new Document("_id", id).append("sequence", 7L)).first()).isNull();
			assertThat(things
				.replaceOne(new Document("_id", id).append("sequence", 1_234L),
						new Document("_id", id).append("sequence", 1_235L))
				.getModifiedCount()).isEqualTo(1);
			assertThat(things
				.replaceOne(new Document("_id", id).append("sequence", 1_234L),
						new Document("_id", id).append("sequence", 9L))
				.getMatchedCount()).as("the condition no longer holds").isZero();
			assertThat(things
				.updateOne(new Document("_id", id).append("extra", new Document("$exists", false)),
						Updates.set("extra", 1))
				.getModifiedCount()).isEqualTo(1);
			assertThatThrownBy(
					() -> things.updateOne(new Document("_id", id).append("extra", new Document("$exists", false)),
							Updates.set("extra", 2), new UpdateOptions().upsert(true)))
				.isInstanceOf(MongoWriteException.class)
				.hasMessageContaining("E11000");
			assertThat(things
				.find(new Document("_id", new Document("$in", List.of(ids.get(3), ids.get(4), "absent")))
					.append("sequence", new Document("$gte", 4L)))
				.into(new ArrayList<>())).extracting((found) -> found.get("_id")).containsExactly(ids.get(4));
			assertThat(things.deleteOne(new Document("_id", ids.get(5)).append("sequence", 5L)).getDeletedCount())
				.isEqualTo(1);

			assertThat(backend.documentsExamined() - before).as("documents read by eight operations").isLessThan(20);
			assertThat(things.find(new Document("_id", id)).first()).containsEntry("sequence", 1_235L)
				.containsEntry("extra", 1);
			assertThat(things.countDocuments()).isEqualTo(ids.size() - 1);
			long scanned = backend.documentsExamined();
			things.find(Filters.eq("sequence", 17L)).first();
			assertThat(backend.documentsExamined() - scanned).as("a query on another field reads them all")
				.isGreaterThanOrEqualTo(ids.size() - 1);
		});
	}

	/**
	 * A query of ids alone is answered from the index without matching each document it
	 * found against the query again: the same documents as a scan that matches every
	 * document gives (an id asked for twice found once, an absent one not, numbers equal
	 * whatever their type), read alone.
	 */
	@Test
	void idsAloneFindWhatAScanFindsReadingOnlyThoseDocuments() {
		withIndexedServer((backend, things) -> {
			List<Object> ids = new ArrayList<>(ids("thing", 1_000));
			ids.addAll(List.of(7, 8.5, 9L));
			insert(things, ids);
			List<Object> asked = new ArrayList<>();
			for (int i = 0; i < 1_000; i += 3) {
				asked.add(ids.get(i));
			}
			asked.addAll(List.of(ids.get(3), "absent", 7.0, 8.5, 9));

			long before = backend.documentsExamined();
			List<Object> alone = things.find(Filters.in("_id", asked))
				.into(new ArrayList<>())
				.stream()
				.map((found) -> found.get("_id"))
				.toList();
			long read = backend.documentsExamined() - before;
			// the same ids as a condition no index answers: every document is read and
			// matched against the whole query
			List<Object> scanned = things.find(new Document("_id", new Document("$in", asked).append("$exists", true)))
				.into(new ArrayList<>())
				.stream()
				.map((found) -> found.get("_id"))
				.toList();

			assertThat(alone).containsExactlyInAnyOrderElementsOf(scanned).doesNotHaveDuplicates();
			assertThat(alone).hasSize(334 + 3).contains(7, 8.5, 9L).doesNotContain("absent");
			assertThat(read).as("documents read").isEqualTo(alone.size());
			assertThat(things.find(Filters.eq("_id", ids.get(5))).first()).containsEntry("sequence", 5L);
			assertThat(things.find(Filters.eq("_id", 8)).first()).as("no such id").isNull();
		});
	}

	/**
	 * The indexed backend on a new data file, served on a free port, with its collection
	 * {@code things}.
	 */
	private void withIndexedServer(BiConsumer<IndexedH2Backend, MongoCollection<Document>> work) {
		MVStore store = new MVStore.Builder().fileName(this.dataDir.resolve("mongo.mv.db").toString()).open();
		IndexedH2Backend backend = new IndexedH2Backend(store);
		MongoServer server = new MongoServer(backend);
		try {
			server.bind("127.0.0.1", 0);
			try (MongoClient client = MongoClients
				.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
				work.accept(backend, client.getDatabase("trustledger").getCollection("things"));
			}
		}
		finally {
			server.shutdown();
		}
	}

	/** Inserts a document for each id, numbered in the order given. */
	private static void insert(MongoCollection<Document> things, List<?> ids) {
		long before = things.countDocuments();
		List<Document> documents = new ArrayList<>();
		for (Object id : ids) {
			documents.add(new Document("_id", id).append("aggregate", "engagement-1")
				.append("sequence", before + documents.size()));
		}
		things.insertMany(documents, new InsertManyOptions().ordered(false));
	}

	private static void assertFindsEach(MongoCollection<Document> things, List<Object> ids) {
		List<Object> missing = new ArrayList<>();
		for (Object id : ids) {
			if (things.find(Filters.eq("_id", id)).first() == null) {
				missing.add(id);
			}
		}
		assertThat(missing).isEmpty();
	}

	private static void assertRefusesDuplicates(MongoCollection<Document> things, List<Object> ids) {
		long before = things.countDocuments();
		List<Object> sample = List.of(ids.get(0), ids.get(ids.size() / 2), ids.get(ids.size() - 1));
		assertThatThrownBy(() -> insert(things, sample)).isInstanceOf(MongoBulkWriteException.class)
			.hasMessageContaining("E11000");
		assertThat(things.countDocuments()).isEqualTo(before);
	}

	/** An event with an existing aggregate and sequence number, under a new id. */
	private static void assertRefusesDuplicateSequences(MongoCollection<Document> events, long count) {
		assertThatThrownBy(() -> events.insertOne(
				new Document("_id", new ObjectId()).append("aggregate", "engagement-1").append("sequence", count / 2)))
			.isInstanceOf(MongoWriteException.class)
			.hasMessageContaining("E11000");
		assertThat(events.countDocuments()).isEqualTo(count);
		assertThat(events.find(Filters.eq("sequence", count - 1)).first()).isNotNull();
	}

	private static void withServer(Path file, Function<MVStore, H2Backend> backend,
			java.util.function.Consumer<com.mongodb.client.MongoDatabase> work) {
		MVStore store = new MVStore.Builder().fileName(file.toString()).open();
		MongoServer server = new MongoServer(backend.apply(store));
		try {
			server.bind("127.0.0.1", 0);
			String address = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
			try (MongoClient client = MongoClients.create(address)) {
				work.accept(client.getDatabase("trustledger"));
			}
		}
		finally {
			server.shutdown();
		}
	}

}
