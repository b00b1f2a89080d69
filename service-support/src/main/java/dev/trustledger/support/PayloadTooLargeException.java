package dev.trustledger.support;

import java.io.IOException;

/**
 * A request body over its limit; thrown while the body is read, so that nothing past the
 * limit is buffered.
 */
public class PayloadTooLargeException extends IOException {

	public PayloadTooLargeException(long limit) {
		super("The request body is larger than its limit of " + limit + " bytes.");
	}

	/** This exception in a cause chain, or {@code null}. */
	public static PayloadTooLargeException findIn(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof PayloadTooLargeException tooLarge) {
				return tooLarge;
			}
		}
		return null;
	}

}
