package dev.trustledger.infra.mongo;

import java.util.Arrays;

import de.bwaldvogel.mongo.backend.KeyValue;
import org.h2.mvstore.type.ObjectDataType;

/**
 * An index key together with the bytes H2 orders it by. mongo-java-server's H2 backend
 * stores a {@link KeyValue} as a Java-serialized object, and H2 orders such objects by
 * their serialized bytes, serializing both sides of every comparison anew. Keeping the
 * bytes with the key gives the same order for the cost of one serialization per key.
 *
 * @param bytes the key's Java serialization, exactly as H2 writes it to the file
 * @param value the key itself
 */
record SerializedKey(byte[] bytes, KeyValue value) implements Comparable<SerializedKey> {

	static SerializedKey of(KeyValue value) {
		return new SerializedKey(ObjectDataType.serialize(value), value);
	}

	static SerializedKey of(byte[] bytes) {
		return new SerializedKey(bytes, (KeyValue) ObjectDataType.deserialize(bytes));
	}

	/**
	 * H2's order for serialized objects: their bytes, unsigned, then the shorter first.
	 */
	@Override
	public int compareTo(SerializedKey other) {
		return Arrays.compareUnsigned(this.bytes, other.bytes);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof SerializedKey key && Arrays.equals(this.bytes, key.bytes);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.bytes);
	}

	@Override
	public String toString() {
		return this.value.toString();
	}

}
