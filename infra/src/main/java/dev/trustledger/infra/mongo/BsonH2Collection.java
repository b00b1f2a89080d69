package dev.trustledger.infra.mongo;

import java.util.List;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;

/**
 * The H2 backend's collection over documents kept as BSON.
 * <p>
 * It hands out copies of what it holds: the server updates a document it has read in
 * place before storing the result, and H2 encodes stored documents on a background thread
 * of its own, which must never see one change under it. And it does not keep the total
 * size of its documents for its statistics ({@code collStats} reports 0): doing so
 * encoded every inserted document once more, a third of the work of an insert.
 * <p>
 * A query that names one {@code _id} (or a list of them with {@code $in}) beside other
 * conditions reads only the documents of those ids, as MongoDB does: the stock server
 * uses an index only when the query's fields are exactly the index's, and scanned the
 * whole collection for a replace conditional on a field besides {@code _id}. A query of
 * ids alone is answered by the index without matching each document found against it
 * again.
 * <p>
 * Indexes are added and dropped holding the collection, as every write and query is: the
 * stock collection changed the list of its indexes while a write walked it, which failed
 * the write after its document was stored, possibly before its id was indexed (the
 * document then could not be found, and every later write of its id failed on it).
 */
final class BsonH2Collection extends H2Collection {

	private static final String ID = "_id";

	/** Stands for a query of ids alone whose documents the index found (by identity). */
	private static final Document FOUND_BY_ID = new Document();

	private final IndexedH2Backend backend;

	private final MVMap<Object, Document> documents;

	BsonH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
			MVMap<Object, Document> documents, MVMap<String, Object> meta, CursorRegistry cursorRegistry,
			IndexedH2Backend backend) {
		super(database, collectionName, options, documents, meta, cursorRegistry);
		this.backend = backend;
		this.documents = documents;
	}

	@Override
	public synchronized void addIndex(Index<Object> index) {
		super.addIndex(index);
	}

	@Override
	public synchronized void dropIndex(String indexName) {
		super.dropIndex(indexName);
	}

	/** A copy: the list itself changes under the collection's lock. */
	@Override
	public synchronized List<Index<Object>> getIndexes() {
		return List.copyOf(super.getIndexes());
	}

	/**
	 * Holding the collection: a count with a query walks the indexes, as a query does.
	 */
	@Override
	public synchronized int count(Document query, int skip, int limit) {
		return super.count(query, skip, limit);
	}

	/** Holding the collection: the statistics walk the indexes. */
	@Override
	public synchronized Document getStats() {
		return super.getStats();
	}

	/** Holding the collection: a validation walks the indexes. */
	@Override
	public synchronized Document validate() {
		return super.validate();
	}

	@Override
	protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int numberToReturn,
			int batchSize, Document fieldSelector) {
		Object id = query.get(ID);
		if (looksUp(id)) {
			Document byId = new Document(ID, id);
			for (Index<Object> index : super.getIndexes()) {
				if (isId(index) && index.canHandle(byId)) {
					// the documents of those ids, matched against the whole query, or
					// given as the index found them for a query of ids alone
					return matchDocuments((query.size() > 1) ? query : FOUND_BY_ID, index.getPositions(byId), orderBy,
							numberToSkip, numberToReturn, batchSize, fieldSelector);
				}
			}
		}
		return super.queryDocuments(query, orderBy, numberToSkip, numberToReturn, batchSize, fieldSelector);
	}

	/**
	 * The documents the unique index on {@code _id} found for a query of ids alone match
	 * it: the index looks each id up as the query matcher compares them (normalized, each
	 * id once). The stock server matched each of them against the query again, comparing
	 * it with every id of an {@code $in}: for the 500 ids of a batch of checkpoints read
	 * for the portfolio as of a date, 250,000 comparisons, two thirds of the stores' time
	 * for that read (docs/performance.md, "Run 53").
	 */
	@Override
	protected boolean documentMatchesQuery(Document document, Document query) {
		if (query == FOUND_BY_ID) {
			return document != null;
		}
		return super.documentMatchesQuery(document, query);
	}

	/**
	 * An id the index finds as MongoDB would: a plain value, or {@code $in} of plain
	 * values; anything else (an operator, a pattern, a document) is matched by a scan, as
	 * the stock server does.
	 */
	private static boolean looksUp(Object id) {
		if (id instanceof Document condition) {
			return condition.size() == 1 && condition.get("$in") instanceof java.util.Collection<?> values
					&& values.stream().allMatch(BsonH2Collection::plain);
		}
		return plain(id);
	}

	private static boolean plain(Object value) {
		return value instanceof String || value instanceof Number || value instanceof de.bwaldvogel.mongo.bson.ObjectId
				|| value instanceof java.util.UUID;
	}

	private static boolean isId(Index<Object> index) {
		List<IndexKey> keys = index.getKeys();
		return index.isUnique() && keys.size() == 1 && ID.equals(keys.get(0).getKey());
	}

	@Override
	protected Document getDocument(Object position) {
		this.backend.examined(1);
		Document document = super.getDocument(position);
		return (document != null) ? document.cloneDeeply() : null;
	}

	@Override
	protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
		return super.streamAllDocumentsWithPosition()
			.map((stored) -> new DocumentWithPosition<>(stored.getDocument().cloneDeeply(), stored.getPosition()));
	}

	/**
	 * A query no index answers: every document is read, and those that match are handed
	 * out as copies (the stock collection handed out the stored documents themselves
	 * unless the order was {@code $natural}).
	 */
	@Override
	protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int numberToReturn,
			int batchSize, Document fieldSelector) {
		this.backend.examined(count());
		if (isNaturalDescending(orderBy)) {
			// read through streamAllDocumentsWithPosition, which copies
			return super.matchDocuments(query, orderBy, numberToSkip, numberToReturn, batchSize, fieldSelector);
		}
		Stream<Document> matching = this.documents.values()
			.stream()
			.filter((document) -> super.documentMatchesQuery(document, query))
			.map(Document::cloneDeeply);
		return matchDocumentsFromStream(matching, query, orderBy, numberToSkip, numberToReturn, batchSize,
				fieldSelector);
	}

	@Override
	protected boolean tracksDataSize() {
		return false;
	}

}
