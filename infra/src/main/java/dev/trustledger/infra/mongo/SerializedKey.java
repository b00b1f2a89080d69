package dev.trustledger.infra.mongo;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.util.Arrays;

import de.bwaldvogel.mongo.backend.KeyValue;
import org.h2.mvstore.type.ObjectDataType;

/**
 * An index key together with the bytes H2 orders it by. mongo-java-server's H2 backend
 * stores a {@link KeyValue} as a Java-serialized object, and H2 orders such objects by
 * their serialized bytes, serializing both sides of every comparison anew. Keeping the
 * bytes with the key gives the same order for the cost of one serialization per key.
 * <p>
 * That one serialization was still a quarter of the embedded server's time answering a
 * query of ids (docs/performance.md, run 62): an {@code ObjectOutputStream} is built for
 * each key, its buffers and tables cleared. Nearly every key is one string (an
 * {@code _id}), and the serialization of a {@code KeyValue} of one string is always the
 * same bytes around that string's own record, so those bytes are taken once from a
 * serialization of a sample key and the string written between them
 * ({@link DataOutputStream#writeUTF}, the encoding serialization uses). The sample is
 * checked against a second key at start-up; keys of any other shape, strings too long for
 * a short record, or a library whose serialization differs go the whole way. (One string
 * only is written otherwise by Java serialization itself: the very instance of the
 * interned {@code "Ljava/util/List;"} that the class description holds, which it writes
 * as a reference to that one; an equal string of any other instance, as every id arriving
 * over the wire is, it writes as this class does.) {@code SerializedKeyTest} compares
 * both for every kind of string. The key itself is read back from the bytes only when
 * asked for: comparisons need only the bytes.
 */
final class SerializedKey implements Comparable<SerializedKey> {

	/** Java serialization's tag of a string of at most 65,535 bytes. */
	private static final byte TC_STRING = 0x74;

	/**
	 * The bytes before and after the string's record in a serialized {@code KeyValue} of
	 * one string; {@code null} when they could not be told apart.
	 */
	private static final byte[][] AROUND_ONE_STRING = aroundOneString();

	private final byte[] bytes;

	/** Read from {@link #bytes} when first asked for. */
	private KeyValue value;

	private SerializedKey(byte[] bytes, KeyValue value) {
		this.bytes = bytes;
		this.value = value;
	}

	static SerializedKey of(KeyValue value) {
		return new SerializedKey(serialize(value), value);
	}

	static SerializedKey of(byte[] bytes) {
		return new SerializedKey(bytes, null);
	}

	/** The key's Java serialization, exactly as H2 writes it to the file. */
	byte[] bytes() {
		return this.bytes;
	}

	/** The key itself. */
	KeyValue value() {
		KeyValue read = this.value;
		if (read == null) {
			// a race only reads it twice: a KeyValue's list is a final field
			read = (KeyValue) ObjectDataType.deserialize(this.bytes);
			this.value = read;
		}
		return read;
	}

	/**
	 * The same bytes as {@link ObjectDataType#serialize}, written faster for one string.
	 */
	static byte[] serialize(KeyValue key) {
		if (AROUND_ONE_STRING != null && key.size() == 1 && key.get(0) instanceof String string) {
			byte[] bytes = withString(AROUND_ONE_STRING[0], string, AROUND_ONE_STRING[1]);
			if (bytes != null) {
				return bytes;
			}
		}
		return ObjectDataType.serialize(key);
	}

	/**
	 * {@code before}, a string as serialization records it (its tag, then its length and
	 * modified UTF-8 as {@link DataOutputStream#writeUTF} writes them), and
	 * {@code after}; {@code null} past 65,535 bytes of string, which serialization
	 * records otherwise.
	 */
	private static byte[] withString(byte[] before, String string, byte[] after) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(before.length + 3 + string.length() + after.length);
		out.writeBytes(before);
		out.write(TC_STRING);
		try {
			new DataOutputStream(out).writeUTF(string);
		}
		catch (UTFDataFormatException tooLong) {
			return null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		out.writeBytes(after);
		return out.toByteArray();
	}

	/**
	 * What comes before and after the string's record in a {@code KeyValue} of one
	 * string: found in a sample's serialization where the record appears exactly once,
	 * and checked on a string of another length.
	 */
	static byte[][] aroundOneString() {
		String sample = "sample key \u00e9\u4e2d";
		byte[] whole = ObjectDataType.serialize(new KeyValue(sample));
		byte[] record = withString(new byte[0], sample, new byte[0]);
		int at = indexOf(whole, record, 0);
		if (at < 0 || indexOf(whole, record, at + 1) >= 0) {
			return null;
		}
		byte[][] around = { Arrays.copyOfRange(whole, 0, at),
				Arrays.copyOfRange(whole, at + record.length, whole.length) };
		String check = "another, longer key to check the sample against";
		return Arrays.equals(withString(around[0], check, around[1]), ObjectDataType.serialize(new KeyValue(check)))
				? around : null;
	}

	private static int indexOf(byte[] bytes, byte[] part, int from) {
		for (int i = from; i <= bytes.length - part.length; i++) {
			if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
				return i;
			}
		}
		return -1;
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
		return value().toString();
	}

}
