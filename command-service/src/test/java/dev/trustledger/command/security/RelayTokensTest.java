package dev.trustledger.command.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelayTokensTest {

	private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

	private final RelayTokens tokens = new RelayTokens("", Duration.ofMinutes(15), Duration.ofHours(12),
			Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void aTokenNamesItsUserUntilItExpires() {
		RelayTokens.Issued issued = this.tokens.issue("ava", NOW);
		assertThat(issued.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
		assertThat(this.tokens.verify(issued.token())).isEqualTo(new RelayTokens.Verified("ava", NOW));
		RelayTokens later = new RelayTokens("", Duration.ofMinutes(15), Duration.ofHours(12),
				Clock.fixed(NOW.plus(Duration.ofMinutes(15)), ZoneOffset.UTC));
		assertThat(later.verify(issued.token())).as("another process's key, and expired anyway").isNull();
	}

	@Test
	void aForgedOrAlteredTokenNamesNobody() {
		String token = this.tokens.issue("ava", NOW).token();
		String payload = token.substring(0, token.indexOf('.'));
		String other = this.tokens.issue("root", NOW).token();
		assertThat(this.tokens.verify(payload + other.substring(other.indexOf('.')))).isNull();
		assertThat(this.tokens.verify("garbage")).isNull();
		assertThat(this.tokens.verify(token + "x")).isNull();
	}

	/**
	 * Found by review: a relay token could be exchanged for a fresh one forever, so a
	 * leaked one lived on. A chain ends twelve hours after the sign-in.
	 */
	@Test
	void aChainOfTokensEndsTwelveHoursAfterTheSignIn() {
		assertThat(this.tokens.issue("ava", NOW.minus(Duration.ofHours(11)))).isNotNull();
		assertThat(this.tokens.issue("ava", NOW.minus(Duration.ofHours(12)).minusSeconds(1))).isNull();
		RelayTokens.Issued renewed = this.tokens.issue("ava", NOW.minus(Duration.ofHours(11)));
		assertThat(this.tokens.verify(renewed.token()).signedInAt()).isEqualTo(NOW.minus(Duration.ofHours(11)));
	}

}
