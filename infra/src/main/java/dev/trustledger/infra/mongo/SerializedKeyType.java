package dev.trustledger.infra.mongo;

import java.nio.ByteBuffer;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * The key type of an index map: reads and writes a key in the very format H2's
 * {@code ObjectDataType} uses for a serialized object (a type tag, the length, the
 * bytes), so files written with either type open with the other, and compares keys by the
 * bytes they were read or made with instead of serializing them again.
 */
final class SerializedKeyType extends BasicDataType<SerializedKey> {

	/** {@code ObjectDataType}'s tag for a Java-serialized object. */
	static final byte SERIALIZED_OBJECT = 19;

	@Override
	public int compare(SerializedKey a, SerializedKey b) {
		return a.compareTo(b);
	}

	@Override
	public int getMemory(SerializedKey key) {
		// the bytes, and the key object they came from (about as large again): counted
		// whether or not a key read from the file has been deserialized yet, which errs
		// on the side of a smaller cache
		return 64 + 3 * key.bytes().length;
	}

	@Override
	public void write(WriteBuffer buffer, SerializedKey key) {
		buffer.put(SERIALIZED_OBJECT).putVarInt(key.bytes().length).put(key.bytes());
	}

	@Override
	public SerializedKey read(ByteBuffer buffer) {
		byte tag = buffer.get();
		if (tag != SERIALIZED_OBJECT) {
			throw new IllegalStateException("An index key of H2 type " + tag + " where a serialized "
					+ "mongo-java-server KeyValue (type " + SERIALIZED_OBJECT + ") was expected");
		}
		byte[] bytes = new byte[DataUtils.readVarInt(buffer)];
		buffer.get(bytes);
		return SerializedKey.of(bytes);
	}

	@Override
	public SerializedKey[] createStorage(int size) {
		return new SerializedKey[size];
	}

}
