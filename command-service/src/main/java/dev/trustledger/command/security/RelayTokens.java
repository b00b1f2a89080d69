package dev.trustledger.command.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Short-lived tokens that let the dashboard record incidents on a user's behalf without
 * keeping the user's password: issued to a signed-in user, good for
 * {@code trustledger.security.relay.ttl} (15 minutes) and for recording only, exchanged
 * for a fresh one while the dashboard session lasts. A token names its user and expiry
 * and carries an HMAC-SHA256 under {@code trustledger.security.relay.key} (base64, at
 * least 32 bytes; set the same on every instance) or, when none is set, under a random
 * key of this process, so that a restart ends them (the dashboard then asks to sign in
 * again). The user's roles are looked up again on every use, never taken from the token.
 * A token remembers when its chain began: it is exchanged for a fresh one only until
 * {@code trustledger.security.relay.max-age} (12 hours) after the sign-in, so that a
 * leaked token does not live on.
 */
@Component
public class RelayTokens {

	static final String SCHEME = "Relay";

	private final SecretKeySpec key;

	private final Duration ttl;

	private final Duration maxAge;

	private final Clock clock;

	RelayTokens(@Value("${trustledger.security.relay.key:}") String key,
			@Value("${trustledger.security.relay.ttl:15m}") Duration ttl,
			@Value("${trustledger.security.relay.max-age:12h}") Duration maxAge, Clock clock) {
		byte[] secret;
		if (key.isBlank()) {
			secret = new byte[32];
			new SecureRandom().nextBytes(secret);
		}
		else {
			secret = Base64.getDecoder().decode(key.strip());
			if (secret.length < 32) {
				throw new IllegalArgumentException("trustledger.security.relay.key must hold at least 32 bytes");
			}
		}
		this.key = new SecretKeySpec(secret, "HmacSHA256");
		this.ttl = ttl;
		this.maxAge = maxAge;
		this.clock = clock;
	}

	/**
	 * A token for {@code user}, and when it expires.
	 * @param signedInAt when the chain of tokens began: now for a sign-in, the old
	 * token's for an exchange
	 * @return {@code null} when the chain is older than the maximum age
	 */
	public Issued issue(String user, Instant signedInAt) {
		Instant now = this.clock.instant();
		if (now.isAfter(signedInAt.plus(this.maxAge))) {
			return null;
		}
		Instant expiresAt = now.plus(this.ttl);
		String payload = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(("record\n" + expiresAt.getEpochSecond() + "\n" + signedInAt.getEpochSecond() + "\n" + user)
				.getBytes(StandardCharsets.UTF_8));
		return new Issued(payload + "." + sign(payload), expiresAt);
	}

	Instant now() {
		return this.clock.instant();
	}

	/**
	 * Whom a token was issued to and when their chain began, or {@code null} when it is
	 * forged or expired.
	 */
	public Verified verify(String token) {
		int dot = token.indexOf('.');
		if (dot < 0) {
			return null;
		}
		String payload = token.substring(0, dot);
		byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
		if (!MessageDigest.isEqual(given, sign(payload).getBytes(StandardCharsets.US_ASCII))) {
			return null;
		}
		String[] parts;
		try {
			parts = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8).split("\n", 4);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		if (parts.length != 4 || !parts[0].equals("record")) {
			return null;
		}
		long expires = Long.parseLong(parts[1]);
		return (this.clock.instant().getEpochSecond() < expires)
				? new Verified(parts[3], Instant.ofEpochSecond(Long.parseLong(parts[2]))) : null;
	}

	/** A token's user, and when their chain of tokens began. */
	public record Verified(String user, Instant signedInAt) {
	}

	private String sign(String payload) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every Java runtime", ex);
		}
	}

	/** A token and when it expires. */
	public record Issued(String token, Instant expiresAt) {
	}

}
