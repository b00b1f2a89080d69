package dev.trustledger.query.webhook;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

	private static final Instant FIRST = Instant.parse("2026-06-01T00:00:00Z");

	/** 5 s, tripled each time up to 2 h, given up a day after the first attempt. */
	private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(5), 3, Duration.ofHours(2),
			Duration.ofHours(24));

	@Test
	void anyTwoHundredIsDelivered() {
		assertThat(this.policy.after(200, null, 0, FIRST, FIRST, "d")).isInstanceOf(RetryPolicy.Delivered.class);
		assertThat(this.policy.after(204, null, 7, FIRST, FIRST, "d")).isInstanceOf(RetryPolicy.Delivered.class);
	}

	@Test
	void goneEndsTheSubscriptionAndOtherRefusalsAreNotRetried() {
		assertThat(this.policy.after(410, null, 0, FIRST, FIRST, "d"))
			.isEqualTo(new RetryPolicy.GiveUp("410 Gone: the receiver ended the subscription", true));
		for (int status : new int[] { 400, 401, 403, 404, 413, 422 }) {
			assertThat(this.policy.after(status, null, 0, FIRST, FIRST, "d"))
				.isInstanceOfSatisfying(RetryPolicy.GiveUp.class, (giveUp) -> assertThat(giveUp.gone()).isFalse());
		}
	}

	@Test
	void serverErrorsRedirectsAndSilenceAreRetriedWithGrowingWaitsSpreadByAtMostATenth() {
		Duration[] expected = { Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(45),
				Duration.ofSeconds(135), Duration.ofSeconds(405), Duration.ofSeconds(1215), Duration.ofSeconds(3645),
				Duration.ofHours(2), Duration.ofHours(2) };
		for (int failedBefore = 0; failedBefore < expected.length; failedBefore++) {
			for (int status : new int[] { 0, 302, 500, 503 }) {
				Instant now = FIRST.plusSeconds(failedBefore);
				RetryPolicy.Next next = this.policy.after(status, null, failedBefore, FIRST, now, "delivery-1");
				Duration wait = Duration.between(now, ((RetryPolicy.RetryAt) next).at());
				assertThat(wait).isBetween(expected[failedBefore],
						expected[failedBefore].plusMillis(expected[failedBefore].toMillis() / 10));
			}
		}
		assertThat(this.policy.backOff(3, "delivery-1")).isNotEqualTo(this.policy.backOff(3, "delivery-2"));
	}

	@Test
	void theLastAttemptIsAtTheDeadlineAndThenRetriesStop() {
		Instant deadline = FIRST.plus(Duration.ofHours(24));
		assertThat(this.policy.after(500, null, 20, FIRST, FIRST.plus(Duration.ofHours(23)), "d"))
			.isEqualTo(new RetryPolicy.RetryAt(deadline));
		assertThat(this.policy.after(500, null, 21, FIRST, deadline, "d")).isInstanceOf(RetryPolicy.GiveUp.class);
		RetryPolicy.Next earlier = this.policy.after(500, null, 20, FIRST, FIRST.plus(Duration.ofHours(21)), "d");
		assertThat(((RetryPolicy.RetryAt) earlier).at()).isBefore(deadline);
	}

	@Test
	void retryAfterIsHonouredOnTooManyRequestsAndTimeoutsWhenItAsksForLonger() {
		RetryPolicy.Next seconds = this.policy.after(429, "120", 0, FIRST, FIRST, "d");
		assertThat(seconds).isEqualTo(new RetryPolicy.RetryAt(FIRST.plusSeconds(120)));
		RetryPolicy.Next date = this.policy.after(408, "Mon, 01 Jun 2026 00:10:00 GMT", 0, FIRST, FIRST, "d");
		assertThat(date).isEqualTo(new RetryPolicy.RetryAt(FIRST.plusSeconds(600)));
		// shorter than the back-off, or unreadable: the back-off
		RetryPolicy.Next shorter = this.policy.after(429, "1", 2, FIRST, FIRST, "d");
		assertThat(Duration.between(FIRST, ((RetryPolicy.RetryAt) shorter).at()))
			.isGreaterThanOrEqualTo(Duration.ofSeconds(45));
		RetryPolicy.Next unreadable = this.policy.after(429, "soon", 0, FIRST, FIRST, "d");
		assertThat(unreadable).isInstanceOf(RetryPolicy.RetryAt.class);
		// asked for later than the deadline: given up
		assertThat(this.policy.after(429, "172800", 0, FIRST, FIRST, "d")).isInstanceOf(RetryPolicy.GiveUp.class);
		// a 500's Retry-After is not a request to wait
		RetryPolicy.Next serverError = this.policy.after(500, "600", 0, FIRST, FIRST, "d");
		assertThat(((RetryPolicy.RetryAt) serverError).at()).isBefore(FIRST.plusSeconds(10));
	}

}
