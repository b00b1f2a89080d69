package dev.trustledger.query.webhook;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TargetsTest {

	private final Targets publicOnly = new Targets(false);

	@Test
	void addressesOnlyThisServiceCanReachAreRefusedUnlessAllowed() throws Exception {
		for (String url : new String[] { "http://127.0.0.1:27017/", "http://10.1.2.3/hook", "http://192.168.0.10/",
				"http://172.16.5.4/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/",
				"http://100.64.0.1/", "http://[::1]/", "http://[fd00::1]/", "http://[fe80::1]/", "http://198.18.0.1/",
				"http://240.0.0.1/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/",
				"http://[::ffff:10.0.0.1]/" }) {
			assertThatExceptionOfType(Targets.Refused.class).as(url)
				.isThrownBy(() -> this.publicOnly.check(url))
				.satisfies((refused) -> assertThat(refused.code()).isEqualTo("webhook-target-not-allowed"));
			assertThat(new Targets(true).check(url).toString()).isEqualTo(url);
		}
	}

	@Test
	void publicAddressesAreAccepted() throws Exception {
		assertThat(this.publicOnly.check("https://93.184.215.14/hooks/trust?token=abc").getHost())
			.isEqualTo("93.184.215.14");
		assertThat(Targets.isPrivate(InetAddress.getByName("8.8.8.8"))).isFalse();
		assertThat(Targets.isPrivate(InetAddress.getByName("2606:4700::1111"))).isFalse();
		assertThat(Targets.isPrivate(InetAddress.getByName("2002:5db8:d70e::1"))).isFalse();
		assertThat(Targets.isPrivate(InetAddress.getByName("64:ff9b::808:808"))).isFalse();
	}

	@Test
	void onlyHttpUrlsWithAHostAndNoCredentialsAreTargets() {
		for (String url : new String[] { "", "ftp://example.com/", "file:///etc/passwd", "https://user:pw@example.com/",
				"https:///path", "https://example.com/#fragment", "not a url", "x".repeat(2001) }) {
			assertThatExceptionOfType(Targets.Refused.class).as(url)
				.isThrownBy(() -> new Targets(true).check(url))
				.satisfies((refused) -> assertThat(refused.code()).isEqualTo("invalid-field"));
		}
	}

}
