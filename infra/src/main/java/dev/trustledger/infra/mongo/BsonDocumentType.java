package dev.trustledger.infra.mongo;

import java.nio.ByteBuffer;

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

	/** A moving average of encoded sizes, H2's own way to estimate memory. */
	private volatile int averageSize = 1024;

	@Override
	public int getMemory(Object document) {
		return this.averageSize;
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
		this.averageSize = (int) ((2L * length + 15L * this.averageSize) / 16);
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
