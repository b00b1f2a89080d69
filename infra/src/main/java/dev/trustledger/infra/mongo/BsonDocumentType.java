package dev.trustledger.infra.mongo;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The value type of a collection's documents: BSON, encoded and decoded by the server's
 * own wire codec, instead of the Java serialization H2 uses for an object it does not
 * know. Every page H2 writes or reads back serializes each document on it, so this is
 * most of what storing a document costs. Documents stored the old way (H2's serialized
 * objects) are still read; documents stored this way carry a tag H2 does not use, so the
 * stock backend refuses them instead of misreading them.
 */
final class BsonDocumentType extends BasicDataType<Object> {

	/** Unused by H2's {@code ObjectDataType}, whose tags end at 119. */
	static final byte BSON = 127;

	/** A buffer larger than this is not kept for the next document. */
	private static final int MAX_KEPT = 1024 * 1024;

	private static final ThreadLocal<ByteBuf> ENCODING = ThreadLocal.withInitial(() -> Unpooled.buffer(64 * 1024));

	private final ObjectDataType legacy = new ObjectDataType();

	/**
	 * What a document takes on the heap once read, which sizes H2's page cache: H2 asks
	 * this for a sample of the values it holds. A document's BSON says little about it (a
	 * field of a short string takes three to four times its encoded size, a long one
	 * hardly more), so the document is walked.
	 */
	@Override
	public int getMemory(Object value) {
		return (value instanceof Document document) ? (int) Math.min(Integer.MAX_VALUE, heapSize(document))
				: this.legacy.getMemory(value);
	}

	/** An estimate with compressed references: object headers, fields and arrays. */
	static long heapSize(Object value) {
		if (value instanceof Map<?, ?> map) {
			// the map, its table, and an entry and a key per field
			long size = 56 + 16 + 8L * Integer.highestOneBit(Math.max(1, map.size() * 4 / 3) * 2);
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				size += 40 + heapSize(entry.getKey()) + heapSize(entry.getValue());
			}
			return size;
		}
		if (value instanceof String text) {
			return 24 + 16 + text.length();
		}
		if (value instanceof Collection<?> collection) {
			long size = 24 + 16 + 4L * collection.size();
			for (Object element : collection) {
				size += heapSize(element);
			}
			return size;
		}
		if (value instanceof BinData binary) {
			// the wrapper and its array
			return 16 + 16 + binary.getData().length;
		}
		return (value == null) ? 0 : 24;
	}

	@Override
	public void write(WriteBuffer buffer, Object value) {
		if (!(value instanceof Document document)) {
			this.legacy.write(buffer, value);
			return;
		}
		// one buffer per writing thread, grown to the largest document and reused
		ByteBuf bson = ENCODING.get().clear();
		BsonEncoder.encodeDocument(document, bson);
		int length = bson.readableBytes();
		buffer.put(BSON).putVarInt(length).put(bson.array(), bson.arrayOffset() + bson.readerIndex(), length);
		if (bson.capacity() > MAX_KEPT) {
			ENCODING.remove();
		}
	}

	@Override
	public Object read(ByteBuffer buffer) {
		int start = buffer.position();
		if (buffer.get() != BSON) {
			buffer.position(start);
			return this.legacy.read(buffer);
		}
		int length = DataUtils.readVarInt(buffer);
		ByteBuf bson = Unpooled.wrappedBuffer(buffer.slice().limit(length));
		buffer.position(buffer.position() + length);
		return BsonDecoder.decodeBson(bson);
	}

	@Override
	public Object[] createStorage(int size) {
		return new Object[size];
	}

}
