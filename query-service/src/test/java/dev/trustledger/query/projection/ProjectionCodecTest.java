package dev.trustledger.query.projection;

import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

import com.mongodb.MongoClientSettings;
import org.bson.BsonBinaryWriter;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectionCodecTest {

	private final Codec<Document> standard = MongoClientSettings.getDefaultCodecRegistry().get(Document.class);

	private final ProjectionCodec codec = new ProjectionCodec(MongoClientSettings.getDefaultCodecRegistry());

	@Test
	void writesTheSameBytesAsTheDriversOwnCodec() {
		Document nested = new Document("points", "[{\"trust\":51.2}]").append("trust", 51.2)
			.append("count", 3)
			.append("sequence", 1L << 40)
			.append("at", Date.from(Instant.parse("2026-03-01T09:30:00.125Z")))
			.append("flag", true)
			.append("nothing", null)
			.append("list", Arrays.asList("a", 2, null, new Document("b", List.of(1.5, false))))
			.append("objectId", new ObjectId())
			.append("decimal", Decimal128.parse("12.345"))
			.append("binary", new org.bson.types.Binary(new byte[] { 1, 2, 3, -1 }))
			.append("uuid", new org.bson.types.Binary((byte) 4, new byte[16]));
		Document document = new Document("first", "before the id").append("_id", "engagement-7#2026-03")
			.append("events", new Document("12", nested).append("13", new Document("_id", "not moved")))
			.append("fields", nested);
		for (EncoderContext context : List.of(EncoderContext.builder().isEncodingCollectibleDocument(true).build(),
				EncoderContext.builder().build())) {
			assertThat(bytes(this.codec, document, context)).isEqualTo(bytes(this.standard, document, context));
		}
	}

	@Test
	void leavesIdsAndReadingToTheDriver() {
		Document withoutId = new Document("a", 1);
		assertThat(this.codec.documentHasId(withoutId)).isFalse();
		this.codec.generateIdIfAbsentFromDocument(withoutId);
		assertThat(withoutId.get("_id")).isInstanceOf(ObjectId.class);
		assertThat(this.codec.getDocumentId(new Document("_id", "x")).asString().getValue()).isEqualTo("x");
	}

	private static byte[] bytes(Codec<Document> codec, Document document, EncoderContext context) {
		BasicOutputBuffer buffer = new BasicOutputBuffer();
		try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
			codec.encode(writer, document, context);
		}
		return buffer.toByteArray();
	}

}
