package dev.trustledger.support.security;

import java.time.Duration;

import org.springframework.security.core.AuthenticationException;

/** Too many failed sign-ins from this source: answered 429 with {@code Retry-After}. */
public class SignInThrottledException extends AuthenticationException {

	private final Duration retryAfter;

	public SignInThrottledException(Duration retryAfter) {
		super("Too many failed sign-ins from this address; try again in " + retryAfter.toSeconds() + " s.");
		this.retryAfter = retryAfter;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
