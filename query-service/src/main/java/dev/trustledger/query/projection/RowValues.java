package dev.trustledger.query.projection;

import java.io.IOException;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

import com.fasterxml.jackson.core.JsonParser;

/**
 * A stored row's values as read from its text, each shared decimal
 * ({@link StoredDecimals}) marked with its index, so that writing the row
 * ({@link TimelineRow#writePoint}) takes its text from the shared table without reading
 * the decimal. A list like any other otherwise (its equality is its values'), and not to
 * be changed once read.
 */
final class RowValues extends AbstractList<Object> implements RandomAccess {

	private Object[] values;

	/** Each value's shared index plus one; 0 for a value that is not shared. */
	private short[] shared;

	private int size;

	RowValues(int capacity) {
		this.values = new Object[capacity];
		this.shared = new short[capacity];
	}

	/** Adds a value that is not a shared decimal. */
	void append(Object value) {
		if (this.size == this.values.length) {
			// more values than columns: kept, as any list would
			this.values = Arrays.copyOf(this.values, this.size * 2 + 1);
			this.shared = Arrays.copyOf(this.shared, this.values.length);
		}
		this.values[this.size++] = value;
	}

	/**
	 * Adds the decimal the parser's current number token stands for
	 * ({@link StoredDecimals#read}), marked when it is a shared one.
	 */
	void appendDecimal(JsonParser parser) throws IOException {
		int index = StoredDecimals.index(parser);
		append(StoredDecimals.read(parser, index));
		this.shared[this.size - 1] = (short) (index + 1);
	}

	/** The shared index of the value at {@code position}, or -1 when it is not shared. */
	int sharedIndex(int position) {
		Objects.checkIndex(position, this.size);
		return this.shared[position] - 1;
	}

	@Override
	public Object get(int position) {
		Objects.checkIndex(position, this.size);
		return this.values[position];
	}

	@Override
	public int size() {
		return this.size;
	}

}
