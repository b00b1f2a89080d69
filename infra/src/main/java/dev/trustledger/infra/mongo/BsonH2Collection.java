package dev.trustledger.infra.mongo;

import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
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
 */
final class BsonH2Collection extends H2Collection {

	BsonH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
			MVMap<Object, Document> documents, MVMap<String, Object> meta, CursorRegistry cursorRegistry) {
		super(database, collectionName, options, documents, meta, cursorRegistry);
	}

	@Override
	protected Document getDocument(Object position) {
		Document document = super.getDocument(position);
		return (document != null) ? document.cloneDeeply() : null;
	}

	@Override
	protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
		return super.streamAllDocumentsWithPosition()
			.map((stored) -> new DocumentWithPosition<>(stored.getDocument().cloneDeeply(), stored.getPosition()));
	}

	@Override
	protected boolean tracksDataSize() {
		return false;
	}

}
