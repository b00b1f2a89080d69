package dev.trustledger.command.engagement;

import org.axonframework.common.AxonNonTransientException;

/**
 * A command that breaks a rule of the engagement. It carries a stable error code for
 * clients, the field at fault, and whether the request conflicts with the current state
 * (409) or is unprocessable as it stands (422). Sending the command again cannot help, so
 * it is non-transient: the gateway retries only conflicts between concurrent writers.
 */
public final class RuleViolation extends AxonNonTransientException {

	private final String code;

	private final String field;

	private final Kind kind;

	RuleViolation(Kind kind, String code, String field, String detail) {
		super(detail);
		this.kind = kind;
		this.code = code;
		this.field = field;
	}

	public String code() {
		return this.code;
	}

	public String field() {
		return this.field;
	}

	public Kind kind() {
		return this.kind;
	}

	/** How a rule violation answers over HTTP. */
	public enum Kind {

		/** The request contradicts the engagement's current state. */
		CONFLICT,

		/** The request is well-formed but can never be accepted as it stands. */
		UNPROCESSABLE

	}

}
