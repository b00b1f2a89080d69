package dev.trustledger.query.engagement;

/** A record whose CloudEvents envelope or data does not follow docs/events.md. */
class UnreadableEventException extends RuntimeException {

	UnreadableEventException(String message, Throwable cause) {
		super(message, cause);
	}

}
