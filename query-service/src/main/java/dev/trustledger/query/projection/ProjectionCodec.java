package dev.trustledger.query.projection;

import java.util.Date;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoCollection;
import org.bson.BsonReader;
import org.bson.BsonValue;
import org.bson.BsonWriter;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.CollectibleCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecRegistries;
import org.bson.codecs.configuration.CodecRegistry;

/**
 * Writes a projection's documents as the driver's own document codec does, byte for byte,
 * but walks nested documents and lists itself: the driver looks a codec up for every
 * nested value through a chain of registries that it checks for cycles, which took a
 * third of a rebuild's writing thread. Values of any other type, and all decoding, go to
 * the registry it was made with.
 */
public final class ProjectionCodec implements CollectibleCodec<Document> {

	private static final EncoderContext NESTED = EncoderContext.builder().build();

	private final CodecRegistry registry;

	private final CollectibleCodec<Document> standard;

	ProjectionCodec(CodecRegistry registry) {
		this.registry = registry;
		this.standard = (CollectibleCodec<Document>) registry.get(Document.class);
	}

	/** A collection that writes its documents with this codec. */
	public static MongoCollection<Document> writingWith(MongoCollection<Document> collection) {
		CodecRegistry registry = collection.getCodecRegistry();
		return collection.withCodecRegistry(
				CodecRegistries.fromRegistries(CodecRegistries.fromCodecs(new ProjectionCodec(registry)), registry));
	}

	@Override
	public void encode(BsonWriter writer, Document document, EncoderContext context) {
		writeDocument(writer, document, context);
	}

	private void writeDocument(BsonWriter writer, Map<String, Object> document, EncoderContext context) {
		writer.writeStartDocument();
		// the driver writes _id first when a top-level document has one
		if (context.isEncodingCollectibleDocument() && document.containsKey("_id")) {
			writer.writeName("_id");
			writeValue(writer, document.get("_id"), context);
		}
		for (Map.Entry<String, Object> field : document.entrySet()) {
			if (context.isEncodingCollectibleDocument() && "_id".equals(field.getKey())) {
				continue;
			}
			writer.writeName(field.getKey());
			writeValue(writer, field.getValue(), context);
		}
		writer.writeEndDocument();
	}

	@SuppressWarnings("unchecked")
	private void writeValue(BsonWriter writer, Object value, EncoderContext context) {
		if (value == null) {
			writer.writeNull();
		}
		else if (value instanceof String text) {
			writer.writeString(text);
		}
		else if (value instanceof Integer number) {
			writer.writeInt32(number);
		}
		else if (value instanceof Long number) {
			writer.writeInt64(number);
		}
		else if (value instanceof Double number) {
			writer.writeDouble(number);
		}
		else if (value instanceof Boolean bool) {
			writer.writeBoolean(bool);
		}
		else if (value instanceof Date date) {
			writer.writeDateTime(date.getTime());
		}
		else if (value instanceof Document nested) {
			writeDocument(writer, nested, NESTED);
		}
		else if (value instanceof org.bson.types.Binary binary) {
			writer.writeBinaryData(new org.bson.BsonBinary(binary.getType(), binary.getData()));
		}
		else if (value instanceof List<?> list) {
			writer.writeStartArray();
			for (Object element : list) {
				writeValue(writer, element, NESTED);
			}
			writer.writeEndArray();
		}
		else {
			Codec<Object> codec = (Codec<Object>) this.registry.get(value.getClass());
			context.encodeWithChildContext(codec, writer, value);
		}
	}

	@Override
	public Document generateIdIfAbsentFromDocument(Document document) {
		return this.standard.generateIdIfAbsentFromDocument(document);
	}

	@Override
	public boolean documentHasId(Document document) {
		return this.standard.documentHasId(document);
	}

	@Override
	public BsonValue getDocumentId(Document document) {
		return this.standard.getDocumentId(document);
	}

	@Override
	public Document decode(BsonReader reader, DecoderContext context) {
		return this.standard.decode(reader, context);
	}

	@Override
	public Class<Document> getEncoderClass() {
		return Document.class;
	}

}
