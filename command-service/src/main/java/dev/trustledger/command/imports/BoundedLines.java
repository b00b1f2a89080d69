package dev.trustledger.command.imports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines ending in a line feed (a carriage return before it is dropped) without ever
 * holding more than the limit of one line: the rest of a longer line is read and thrown
 * away, and the line is reported as too long. {@link java.io.BufferedReader#readLine()}
 * would hold a body without a line feed whole, however large. Each line is decoded as
 * strict UTF-8 on its own: a line that is not UTF-8 is reported as such, where a reader
 * would have quietly replaced its bytes, and the lines around it are read as usual.
 */
final class BoundedLines {

	/**
	 * A line as read: its text, or {@code null} when it was longer than the limit or not
	 * UTF-8.
	 */
	record Line(String text, long length, boolean malformed) {

		boolean tooLong() {
			return this.text == null && !this.malformed;
		}

	}

	private final InputStream in;

	private final int limit;

	private final byte[] buffer = new byte[8192];

	private int position;

	private int end;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream();

	/**
	 * @param limit the most characters a line may hold; as UTF-8 needs up to four bytes
	 * for one, up to four times as many bytes are kept while it is read
	 */
	BoundedLines(InputStream in, int limit) {
		this.in = in;
		this.limit = limit;
	}

	/** The next line, or {@code null} at the end of the input. */
	Line next() throws IOException {
		this.line.reset();
		long length = 0;
		boolean any = false;
		long keep = 4L * this.limit + 1;
		while (true) {
			if (this.position == this.end) {
				this.end = this.in.read(this.buffer, 0, this.buffer.length);
				this.position = 0;
				if (this.end <= 0) {
					this.end = 0;
					return any ? finish(length, keep) : null;
				}
			}
			any = true;
			int start = this.position;
			while (this.position < this.end && this.buffer[this.position] != '\n') {
				this.position++;
			}
			int count = this.position - start;
			length += count;
			if (length <= keep) {
				this.line.write(this.buffer, start, count);
			}
			if (this.position < this.end) {
				this.position++;
				return finish(length, keep);
			}
		}
	}

	private Line finish(long length, long keep) {
		if (length > keep) {
			return new Line(null, length, false);
		}
		byte[] bytes = this.line.toByteArray();
		int size = bytes.length;
		if (size > 0 && bytes[size - 1] == '\r') {
			size--;
		}
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes, 0, size))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return new Line(null, size, true);
		}
		return (text.length() > this.limit) ? new Line(null, text.length(), false)
				: new Line(text, text.length(), false);
	}

}
