package dev.trustledger.query.projection;

/** A record whose CloudEvents envelope or data does not follow docs/events.md. */
public class UnreadableEventException extends RuntimeException {

	UnreadableEventException(String message, Throwable cause) {
		super(message, cause);
	}

}
