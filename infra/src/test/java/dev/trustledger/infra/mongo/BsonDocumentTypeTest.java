package dev.trustledger.infra.mongo;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.LegacyUUID;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BsonDocumentTypeTest {

	private final BsonDocumentType documents = new BsonDocumentType();

	@Test
	void storesADocumentOfEveryKindOfValueTheServerHoldsAndReadsItBackEqual() {
		Document document = everyKind();
		Object read = roundTrip(this.documents, document, this.documents);
		assertThat(read).isEqualTo(document);
		assertThat(((Document) read).get("binary")).isInstanceOf(BinData.class);
	}

	@Test
	void readsDocumentsStoredTheStockWayAlongsideItsOwn() {
		Document document = everyKind();
		// Java serialization makes new MinKey and MaxKey instances, unequal to the
		// singletons: a stock limitation, not this type's
		document.remove("min");
		document.remove("max");
		assertThat(roundTrip(new ObjectDataType(), document, this.documents)).isEqualTo(document);
	}

	@Test
	void writesBsonUnderItsOwnTagAndAnythingElseTheStockWay() {
		assertThat(written(this.documents, new Document("_id", "a"))[0]).isEqualTo(BsonDocumentType.BSON);
		assertThat(written(this.documents, "not a document"))
			.isEqualTo(written(new ObjectDataType(), "not a document"));
		assertThat(roundTrip(this.documents, "not a document", this.documents)).isEqualTo("not a document");
	}

	@Test
	void aPageOfDocumentsReadsBackInOrder() {
		List<Document> page = List.of(new Document("_id", "a").append("n", 1), everyKind(),
				new Document("_id", "c").append("nested", new Document("deeper", List.of(new Document("x", 1)))));
		WriteBuffer buffer = new WriteBuffer();
		this.documents.write(buffer, page.toArray(), page.size());
		ByteBuffer bytes = buffer.getBuffer().flip();
		Object[] read = this.documents.createStorage(page.size());
		this.documents.read(bytes, read, page.size());
		assertThat(read).containsExactlyElementsOf(page);
		assertThat(bytes.remaining()).isZero();
	}

	@Test
	void estimatesADocumentsHeapSizeFromWhatItHoldsNotFromItsEncoding() {
		Document shortFields = new Document();
		for (int i = 0; i < 50; i++) {
			shortFields.append("f" + i, "v" + i);
		}
		Document longField = new Document("data", "x".repeat(5_000));
		int shortBson = written(this.documents, shortFields).length;
		int longBson = written(this.documents, longField).length;
		// many short fields weigh several times their encoding, one long string about its
		// own
		assertThat(this.documents.getMemory(shortFields)).isGreaterThan(3 * shortBson);
		assertThat(this.documents.getMemory(longField)).isBetween(longBson, longBson + 300);
		assertThat(this.documents.getMemory(new Document("nested", shortFields)))
			.isGreaterThan(this.documents.getMemory(shortFields));
		// found when checkpoints were stored as binary: a value of 10 KB weighed 24 bytes
		Document binary = new Document("data", new BinData(new byte[10_000]));
		int binaryBson = written(this.documents, binary).length;
		assertThat(this.documents.getMemory(binary)).isBetween(binaryBson, binaryBson + 300);
	}

	private static Document everyKind() {
		return new Document("_id", "engagement-7#2026-03").append("string", "trust é 信")
			.append("int", 42)
			.append("long", 1L << 40)
			.append("double", 0.1)
			.append("decimal", new Decimal128(new BigDecimal("12.345")))
			.append("true", true)
			.append("null", null)
			.append("instant", Instant.parse("2026-03-01T09:30:00.123Z"))
			.append("timestamp", new BsonTimestamp(Instant.parse("2026-03-01T09:30:00Z"), 3))
			.append("objectId", new ObjectId())
			.append("binary", new BinData(new byte[] { 0, 1, 2, (byte) 255 }))
			.append("uuid", UUID.fromString("0f0e0d0c-0b0a-0908-0706-050403020100"))
			.append("legacyUuid", new LegacyUUID(UUID.fromString("00010203-0405-0607-0809-0a0b0c0d0e0f")))
			.append("min", MinKey.getInstance())
			.append("max", MaxKey.getInstance())
			.append("list", Arrays.asList(1, "two", null, new Document("three", 3.0)))
			.append("nested", new Document("events", new Document("12", new Document("data", "{\"a\":1}"))));
	}

	private static byte[] written(org.h2.mvstore.type.DataType<Object> type, Object value) {
		WriteBuffer buffer = new WriteBuffer();
		type.write(buffer, value);
		ByteBuffer bytes = buffer.getBuffer().flip();
		byte[] result = new byte[bytes.remaining()];
		bytes.get(result);
		return result;
	}

	private static Object roundTrip(org.h2.mvstore.type.DataType<Object> writer, Object value,
			org.h2.mvstore.type.DataType<Object> reader) {
		ByteBuffer bytes = ByteBuffer.wrap(written(writer, value));
		Object read = reader.read(bytes);
		assertThat(bytes.remaining()).isZero();
		return read;
	}

}
