package dev.trustledger.infra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedMongoServerTest {

	@Test
	void thePageCacheIs16MegabytesUnlessASizeIsAskedFor() {
		assertThat(EmbeddedMongoServer.cacheMegabytes(0)).isEqualTo(16);
		assertThat(EmbeddedMongoServer.cacheMegabytes(-5)).isEqualTo(16);
		assertThat(EmbeddedMongoServer.cacheMegabytes(512)).isEqualTo(512);
	}

}
