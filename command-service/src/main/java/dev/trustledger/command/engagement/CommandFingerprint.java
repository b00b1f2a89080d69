package dev.trustledger.command.engagement;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a command says, as a short digest: its type and every component but who sent it.
 * Sending the same incident again gives the same fingerprint, whoever sends it; the same
 * incident id with any other content does not. Pure and deterministic.
 */
final class CommandFingerprint {

	/**
	 * The metadata key under which an event keeps the fingerprint of the command that
	 * caused it.
	 */
	static final String METADATA_KEY = "commandFingerprint";

	private CommandFingerprint() {
	}

	static String of(Record command) {
		StringBuilder content = new StringBuilder(command.getClass().getSimpleName());
		for (RecordComponent component : command.getClass().getRecordComponents()) {
			if (!component.getName().equals("recordedBy")) {
				content.append('|').append(component.getName()).append('=').append(value(command, component));
			}
		}
		return sha256(content.toString());
	}

	private static Object value(Record command, RecordComponent component) {
		try {
			return component.getAccessor().invoke(command);
		}
		catch (IllegalAccessException | InvocationTargetException ex) {
			throw new IllegalStateException("Cannot read " + component, ex);
		}
	}

	private static String sha256(String content) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java platform", ex);
		}
	}

}
