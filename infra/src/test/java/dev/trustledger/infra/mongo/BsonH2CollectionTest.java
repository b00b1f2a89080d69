package dev.trustledger.infra.mongo;

import java.util.List;

import de.bwaldvogel.mongo.backend.DocumentWithPosition;
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

}
