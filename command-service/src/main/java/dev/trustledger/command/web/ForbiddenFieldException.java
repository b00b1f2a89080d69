package dev.trustledger.command.web;

/**
 * A field the caller's roles do not allow them to give: answered 403 {@code forbidden},
 * naming the field, with nothing stored.
 */
public class ForbiddenFieldException extends RuntimeException {

	private final String field;

	public ForbiddenFieldException(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return this.field;
	}

}
