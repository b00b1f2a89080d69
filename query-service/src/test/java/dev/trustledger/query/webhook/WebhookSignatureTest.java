package dev.trustledger.query.webhook;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTest {

	/** The Standard Webhooks specification's own example: what its libraries verify. */
	@Test
	void theSpecificationsTestVectorIsReproduced() {
		String signature = WebhookSignature.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
				"msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

		assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	}

	@Test
	void duringARotationBothSecretsSignInTheOrderGiven() {
		byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
		SecureRandom random = new SecureRandom(new byte[] { 1 });
		String current = WebhookSignature.newSecret(random);
		String previous = WebhookSignature.newSecret(random);

		String header = WebhookSignature.header(List.of(current, previous), "msg_1", 10L, body);

		assertThat(header.split(" ")).containsExactly(WebhookSignature.sign(current, "msg_1", 10L, body),
				WebhookSignature.sign(previous, "msg_1", 10L, body));
		assertThat(WebhookSignature.sign(current, "msg_1", 10L, body))
			.isNotEqualTo(WebhookSignature.sign(current, "msg_1", 11L, body))
			.isNotEqualTo(WebhookSignature.sign(current, "msg_2", 10L, body));
	}

	@Test
	void aNewSecretHoldsThirtyTwoRandomBytes() {
		SecureRandom random = new SecureRandom();
		String secret = WebhookSignature.newSecret(random);

		assertThat(secret).startsWith("whsec_");
		assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
		assertThat(WebhookSignature.newSecret(random)).isNotEqualTo(secret);
	}

}
