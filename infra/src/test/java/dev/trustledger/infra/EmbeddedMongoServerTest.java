package dev.trustledger.infra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedMongoServerTest {

	@Test
	void thePageCacheIs128MegabytesUnlessASizeIsAskedFor() {
		assertThat(EmbeddedMongoServer.cacheMegabytes(0)).isEqualTo(128);
		assertThat(EmbeddedMongoServer.cacheMegabytes(-5)).isEqualTo(128);
		assertThat(EmbeddedMongoServer.cacheMegabytes(512)).isEqualTo(512);
	}

}
