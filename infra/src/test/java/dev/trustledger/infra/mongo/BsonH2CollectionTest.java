package dev.trustledger.infra.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.EmptyIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BsonH2CollectionTest {

	private final MVStore store = new MVStore.Builder().open();

	private final BsonH2Collection collection = (BsonH2Collection) new IndexedH2Backend(this.store)
		.openOrCreateDatabase("test")
		.createCollectionOrThrowIfExists("things");

	/** What the collection holds. */
	private final MVMap<Object, Document> documents = this.store.openMap("databases.test.things");

	@AfterEach
	void close() {
		this.store.close();
	}

	private static Document events(Document bucket) {
		return (Document) bucket.get("events");
	}

	@Test
	void whatItHandsOutCanBeChangedWithoutChangingWhatItHolds() {
		this.documents.put("a", new Document("_id", "a").append("events", new Document("1", new Document("n", 1))));

		// the server changes the documents it read in place when it updates them
		Document read = this.collection.getDocument("a");
		events(read).put("2", new Document("n", 2));
		read.put("touched", true);
		List<DocumentWithPosition<Object>> all = this.collection.streamAllDocumentsWithPosition().toList();
		events(all.get(0).getDocument()).remove("1");

		Document held = this.documents.get("a");
		assertThat(held).doesNotContainKey("touched");
		assertThat(events(held)).containsOnlyKeys("1");
		assertThat(this.collection.getDocument("a")).isEqualTo(held).isNotSameAs(held);
		assertThat(all).singleElement().extracting(DocumentWithPosition::getPosition).isEqualTo("a");
	}

	@Test
	void whatAScanHandsOutCanBeChangedWithoutChangingWhatItHolds() {
		this.collection.addDocument(new Document("_id", "a").append("team", "north").append("n", 1));
		this.collection.addDocument(new Document("_id", "b").append("team", "south").append("n", 2));

		// a query on another field than _id reads every document
		QueryResult found = this.collection.matchDocuments(new Document("team", "north"), new Document("n", 1), 0, 0, 0,
				null);
		List<Document> read = new ArrayList<>();
		found.forEach(read::add);
		assertThat(read).singleElement().extracting((document) -> document.get("_id")).isEqualTo("a");
		read.get(0).put("n", 99);

		assertThat(this.documents.get("a").get("n")).isEqualTo(1);
	}

	/**
	 * The query service creates its secondary indexes on a thread of its own while its
	 * consumers write. The stock collection added an index to the list that every write
	 * walks without holding the collection: a write that met it failed after storing its
	 * document, and where that was before its id was indexed, the document could no
	 * longer be found and every later write of that id failed on the one stored. Here a
	 * write is held inside its walk of the indexes while another thread adds one.
	 */
	@Test
	void anIndexAddedWhileADocumentIsWrittenWaitsForTheWrite() throws Exception {
		CountDownLatch writing = new CountDownLatch(1);
		CountDownLatch added = new CountDownLatch(1);
		AtomicBoolean addedDuringTheWrite = new AtomicBoolean();
		this.collection.addIndex(new EmptyIndex<>("held_1", List.of(new IndexKey("held", true))) {
			@Override
			public void add(Document document, Object position,
					de.bwaldvogel.mongo.MongoCollection<Object> collection) {
				if ("held".equals(document.get("_id"))) {
					writing.countDown();
					try {
						// the index added meanwhile, if adding it does not wait for this
						// write
						addedDuringTheWrite.set(added.await(300, TimeUnit.MILLISECONDS));
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
			}
		});
		CompletableFuture<Void> indexing = CompletableFuture.runAsync(() -> {
			try {
				writing.await();
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
			this.collection.addIndex(new EmptyIndex<>("other_1", List.of(new IndexKey("other", true))));
			added.countDown();
		});

		this.collection.addDocument(new Document("_id", "held").append("n", 1));
		indexing.get(1, TimeUnit.MINUTES);
		this.collection.addDocument(new Document("_id", "after").append("n", 2));

		assertThat(addedDuringTheWrite).isFalse();
		assertThat(this.collection.getIndexes()).extracting(Index::getName)
			.containsExactly("_id_", "held_1", "other_1");
		assertThat(this.collection.handleQuery(new Document("_id", "held"))).hasSize(1);
		assertThat(this.collection.handleQuery(new Document("_id", "after"))).hasSize(1);
	}

	/**
	 * A count with a query walks the indexes as a query does; the stock collection
	 * counted without holding it, so a count met a list of indexes changing under it.
	 * Here a count is started on a thread of its own while an index is being added, and
	 * the index waits until the count has either finished or is waiting for the
	 * collection.
	 */
	@Test
	void aCountWhileAnIndexIsAddedWaitsForIt() throws Exception {
		this.collection.addDocument(new Document("_id", "a").append("n", 1));
		CountDownLatch counted = new CountDownLatch(1);
		AtomicInteger count = new AtomicInteger(-1);
		Thread counting = new Thread(() -> {
			count.set(this.collection.count(new Document("n", 1), 0, 0));
			counted.countDown();
		}, "counting");
		AtomicBoolean countedDuringTheIndexing = new AtomicBoolean();
		this.collection.addIndex(new EmptyIndex<>("n_1", List.of(new IndexKey("n", true))) {
			@Override
			public void add(Document document, Object position,
					de.bwaldvogel.mongo.MongoCollection<Object> collection) {
				counting.start();
				long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
				while (counted.getCount() > 0 && counting.getState() != Thread.State.BLOCKED
						&& System.nanoTime() < deadline) {
					Thread.onSpinWait();
				}
				countedDuringTheIndexing.set(counted.getCount() == 0);
			}
		});

		assertThat(counted.await(1, TimeUnit.MINUTES)).isTrue();
		assertThat(countedDuringTheIndexing).as("counted while the index was being added").isFalse();
		assertThat(count).hasValue(1);
		assertThat(this.collection.getStats().get("nindexes")).isEqualTo(2);
	}

}
