package dev.trustledger.support;

import java.io.IOException;

/**
 * Checks bytes as they stream past for well-formed UTF-8 (RFC 3629): no overlong forms,
 * no encoded surrogates, nothing above U+10FFFF, no sequence cut short. Jackson's own
 * decoder lets some of these through (an overlong {@code C0 AF} reads as a slash), so a
 * body is checked before it is parsed.
 */
public final class Utf8Validator {

	private int need;

	private int low = 0x80;

	private int high = 0xBF;

	private long position;

	/** Checks {@code length} more bytes. */
	public void update(byte[] bytes, int offset, int length) throws MalformedUtf8Exception {
		for (int i = offset; i < offset + length; i++) {
			update(bytes[i] & 0xFF);
		}
	}

	/** Checks one more byte. */
	public void update(int b) throws MalformedUtf8Exception {
		if (this.need == 0) {
			if (b <= 0x7F) {
				// ASCII
			}
			else if (b >= 0xC2 && b <= 0xDF) {
				expect(1, 0x80, 0xBF);
			}
			else if (b == 0xE0) {
				expect(2, 0xA0, 0xBF);
			}
			else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
				expect(2, 0x80, 0xBF);
			}
			else if (b == 0xED) {
				expect(2, 0x80, 0x9F);
			}
			else if (b == 0xF0) {
				expect(3, 0x90, 0xBF);
			}
			else if (b >= 0xF1 && b <= 0xF3) {
				expect(3, 0x80, 0xBF);
			}
			else if (b == 0xF4) {
				expect(3, 0x80, 0x8F);
			}
			else {
				throw new MalformedUtf8Exception(this.position);
			}
		}
		else {
			if (b < this.low || b > this.high) {
				throw new MalformedUtf8Exception(this.position);
			}
			this.low = 0x80;
			this.high = 0xBF;
			this.need--;
		}
		this.position++;
	}

	/** The end: a sequence cut short is malformed too. */
	public void finish() throws MalformedUtf8Exception {
		if (this.need != 0) {
			throw new MalformedUtf8Exception(this.position);
		}
	}

	private void expect(int continuations, int low, int high) {
		this.need = continuations;
		this.low = low;
		this.high = high;
	}

	/** Bytes that are not UTF-8, and where. */
	public static final class MalformedUtf8Exception extends IOException {

		MalformedUtf8Exception(long position) {
			super("The body is not well-formed UTF-8 (at byte " + position + ")");
		}

	}

}
