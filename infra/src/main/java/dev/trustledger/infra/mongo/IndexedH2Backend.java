package dev.trustledger.infra.mongo;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 backend, with two changes to how it stores things, each of which
 * took most of the time of storing a document, and a page cache sized by what documents
 * take on the heap ({@link BsonDocumentType#getMemory}):
 * <ul>
 * <li>unique indexes (every collection's {@code _id}) compare keys without serializing
 * them: the stock index serializes both keys of every comparison, which made storing a
 * document cost about 0.5 ms at 150,000 documents;</li>
 * <li>documents are kept as BSON ({@link BsonDocumentType}), not Java-serialized, by
 * collections that hand out copies of them ({@link BsonH2Collection}).</li>
 * </ul>
 * Map names, index keys and their order are the stock backend's, and documents it stored
 * are read as they are, so a data file of the stock backend opens here; documents stored
 * here are not readable by the stock backend.
 */
public class IndexedH2Backend extends H2Backend {

	private final LongAdder examined = new LongAdder();

	public IndexedH2Backend(MVStore store) {
		super(store);
	}

	/**
	 * How many stored documents queries, updates and deletes have read since this backend
	 * was made: MongoDB's {@code totalDocsExamined}, summed over every collection.
	 */
	public long documentsExamined() {
		return this.examined.sum();
	}

	/**
	 * Counts documents read; not while the stock constructor opens what the file holds,
	 * before this backend's fields are set.
	 */
	void examined(long documents) {
		LongAdder counter = this.examined;
		if (counter != null) {
			counter.add(documents);
		}
	}

	@Override
	protected MongoDatabase openOrCreateDatabase(String databaseName) {
		return new IndexedH2Database(databaseName);
	}

	/**
	 * An inner class on purpose: {@link H2Database}'s constructor opens the existing
	 * indexes through {@link #openOrCreateUniqueIndex}, before a field of a subclass
	 * could be set, whereas the enclosing backend (and so the store) is bound before
	 * that.
	 */
	private final class IndexedH2Database extends H2Database {

		IndexedH2Database(String databaseName) {
			super(databaseName, getMvStore(), getCursorRegistry());
		}

		@Override
		protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
			// the stock backend's map names, its documents as BSON
			String namespace = getFullCollectionNamespace(collectionName);
			MVMap<Object, Document> documents = getMvStore().openMap("databases." + namespace,
					new MVMap.Builder<Object, Document>().valueType(new BsonDocumentType()));
			MVMap<String, Object> meta = getMvStore().openMap("meta." + namespace);
			return new BsonH2Collection(this, collectionName, options, documents, meta, this.cursorRegistry,
					IndexedH2Backend.this);
		}

		@Override
		protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
				boolean sparse) {
			// the stock backend's map name, so existing files keep their indexes
			String mapName = getFullCollectionNamespace(collectionName) + "._index_" + indexName;
			MVMap<SerializedKey, Object> map = getMvStore().openMap(mapName,
					new MVMap.Builder<SerializedKey, Object>().keyType(new SerializedKeyType()));
			return new SerializedKeyIndex(map, indexName, keys, sparse);
		}

	}

}
