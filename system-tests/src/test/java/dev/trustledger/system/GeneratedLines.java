package dev.trustledger.system;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A request body made as it is read, one chunk of lines at a time, so that a million
 * import lines never sit in memory at once.
 */
abstract class GeneratedLines extends InputStream {

	private byte[] buffer = new byte[0];

	private int position;

	/**
	 * The next lines, each ending in a line feed, or {@code null} when there are no more.
	 */
	protected abstract String next();

	@Override
	public int read() {
		if (!fill()) {
			return -1;
		}
		return this.buffer[this.position++] & 0xff;
	}

	@Override
	public int read(byte[] target, int offset, int length) {
		if (length == 0) {
			return 0;
		}
		if (!fill()) {
			return -1;
		}
		int n = Math.min(length, this.buffer.length - this.position);
		System.arraycopy(this.buffer, this.position, target, offset, n);
		this.position += n;
		return n;
	}

	private boolean fill() {
		while (this.position >= this.buffer.length) {
			String lines = next();
			if (lines == null) {
				return false;
			}
			this.buffer = lines.getBytes(StandardCharsets.UTF_8);
			this.position = 0;
		}
		return true;
	}

}
