package dev.trustledger.infra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedMongoServerTest {

	private static final long MB = 1024 * 1024;

	@Test
	void thePageCacheTakesAQuarterOfTheHeapWithinItsBounds() {
		assertThat(EmbeddedMongoServer.cacheMegabytes(0, 2048 * MB)).isEqualTo(512);
		assertThat(EmbeddedMongoServer.cacheMegabytes(0, 256 * MB)).isEqualTo(128);
		assertThat(EmbeddedMongoServer.cacheMegabytes(0, 6028 * MB)).isEqualTo(1024);
	}

	@Test
	void aSizeAskedForIsTaken() {
		assertThat(EmbeddedMongoServer.cacheMegabytes(64, 6028 * MB)).isEqualTo(64);
		assertThat(EmbeddedMongoServer.cacheMegabytes(-1, 2048 * MB)).isEqualTo(512);
	}

}
