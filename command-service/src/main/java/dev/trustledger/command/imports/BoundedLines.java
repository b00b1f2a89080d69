package dev.trustledger.command.imports;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines ending in a line feed (a carriage return before it is dropped) without ever
 * holding more than the limit of one line: the rest of a longer line is read and thrown
 * away, and the line is reported as too long. {@link java.io.BufferedReader#readLine()}
 * would hold a body without a line feed whole, however large.
 */
final class BoundedLines {

	/** A line as read: its text, or {@code null} when it was longer than the limit. */
	record Line(String text, long length) {

		boolean tooLong() {
			return this.text == null;
		}

	}

	private final Reader reader;

	private final int limit;

	private final char[] buffer = new char[8192];

	private int position;

	private int end;

	private final StringBuilder line = new StringBuilder();

	BoundedLines(Reader reader, int limit) {
		this.reader = reader;
		this.limit = limit;
	}

	/** The next line, or {@code null} at the end of the input. */
	Line next() throws IOException {
		this.line.setLength(0);
		long length = 0;
		boolean any = false;
		while (true) {
			if (this.position == this.end) {
				this.end = this.reader.read(this.buffer, 0, this.buffer.length);
				this.position = 0;
				if (this.end <= 0) {
					this.end = 0;
					return any ? finish(length) : null;
				}
			}
			any = true;
			int start = this.position;
			while (this.position < this.end && this.buffer[this.position] != '\n') {
				this.position++;
			}
			int count = this.position - start;
			length += count;
			if (length <= this.limit + 1) {
				// one more than the limit is kept, for a carriage return before the line
				// feed
				this.line.append(this.buffer, start, count);
			}
			if (this.position < this.end) {
				this.position++;
				return finish(length);
			}
		}
	}

	private Line finish(long length) {
		int kept = this.line.length();
		if (kept > 0 && this.line.charAt(kept - 1) == '\r' && length <= this.limit + 1) {
			this.line.setLength(kept - 1);
			length--;
		}
		return (length > this.limit) ? new Line(null, length) : new Line(this.line.toString(), length);
	}

}
