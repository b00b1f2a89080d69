package dev.trustledger.query.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures as the Standard Webhooks specification defines them, so that a receiver can
 * check ours with any of its libraries: HMAC-SHA256 over
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, keyed by the base64 part of a
 * {@code whsec_} secret, sent as {@code v1,<base64>}, several separated by spaces while a
 * rotated secret overlaps its successor.
 * <p>
 * No Java library for the specification is published to Maven Central beside the vendor
 * SDKs that embed it; the algorithm is the JDK's HMAC and a few lines, checked against
 * the specification's published test vector.
 */
final class WebhookSignature {

	static final String PREFIX = "whsec_";

	/** 32 random bytes, as the specification recommends (between 24 and 64). */
	private static final int SECRET_BYTES = 32;

	private WebhookSignature() {
	}

	/** A new secret, {@code whsec_} and the base64 of 32 random bytes. */
	static String newSecret(SecureRandom random) {
		byte[] key = new byte[SECRET_BYTES];
		random.nextBytes(key);
		return PREFIX + Base64.getEncoder().encodeToString(key);
	}

	/** The {@code webhook-signature} header: one {@code v1,} signature per secret. */
	static String header(List<String> secrets, String id, long timestamp, byte[] body) {
		return secrets.stream().map((secret) -> sign(secret, id, timestamp, body)).collect(Collectors.joining(" "));
	}

	/** One {@code v1,} signature. */
	static String sign(String secret, String id, long timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
			mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
			return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

	private static byte[] key(String secret) {
		String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
		return Base64.getDecoder().decode(encoded);
	}

}
