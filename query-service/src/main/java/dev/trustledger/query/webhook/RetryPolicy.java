package dev.trustledger.query.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * What follows an attempt to deliver: done, try again at a given instant, or give up. A
 * pure function of the attempt's answer, how many attempts failed before and when the
 * first was made.
 * <ul>
 * <li>2xx: delivered.</li>
 * <li>410 Gone: the receiver says the subscription is over; it is disabled at once.</li>
 * <li>408 and 429: tried again, no sooner than {@code Retry-After} says when it
 * does.</li>
 * <li>Any other 4xx: the receiver refuses this request, and the same request will be
 * refused again: not retried.</li>
 * <li>Anything else (3xx, since redirects are not followed; 5xx; no answer): tried again
 * after {@code initialInterval}, growing by {@code multiplier} up to {@code maxInterval},
 * until {@code giveUpAfter} has passed since the first attempt, the last attempt made at
 * that deadline.</li>
 * </ul>
 * Each wait is spread by up to a tenth, derived from the delivery's id rather than drawn
 * at random, so that the alerts queued while a receiver was down do not all come back at
 * once, and the schedule can be tested.
 */
record RetryPolicy(Duration initialInterval, double multiplier, Duration maxInterval, Duration giveUpAfter) {

	RetryPolicy {
		if (giveUpAfter.compareTo(initialInterval) < 0 || multiplier < 1) {
			throw new IllegalArgumentException("A retry policy must wait at least once and never less each time");
		}
	}

	sealed interface Next {

	}

	record Delivered() implements Next {
	}

	record RetryAt(Instant at) implements Next {
	}

	/** Not retried; {@code gone} when the receiver answered 410. */
	record GiveUp(String reason, boolean gone) implements Next {
	}

	/**
	 * @param status the HTTP status answered, or 0 when none came (refused, timed out)
	 * @param retryAfter the {@code Retry-After} header answered, or {@code null}
	 * @param failedBefore how many attempts of this delivery failed before this one
	 * @param firstAttempt when the delivery was first attempted
	 * @param now when this attempt ended
	 * @param deliveryId spreads the waits
	 */
	Next after(int status, String retryAfter, int failedBefore, Instant firstAttempt, Instant now, String deliveryId) {
		if (status >= 200 && status < 300) {
			return new Delivered();
		}
		if (status == 410) {
			return new GiveUp("410 Gone: the receiver ended the subscription", true);
		}
		if (status >= 400 && status < 500 && status != 408 && status != 429) {
			return new GiveUp(status + ": the receiver refuses this request; it is not sent again", false);
		}
		Instant deadline = firstAttempt.plus(this.giveUpAfter);
		GiveUp late = new GiveUp("no success within " + this.giveUpAfter + " of the first attempt", false);
		if (status == 408 || status == 429) {
			Duration asked = retryAfter(retryAfter, now);
			if (asked != null && asked.compareTo(backOff(failedBefore, deliveryId)) > 0) {
				// the receiver's wait is kept, or the delivery given up
				return now.plus(asked).isAfter(deadline) ? late : new RetryAt(now.plus(asked));
			}
		}
		Instant next = now.plus(backOff(failedBefore, deliveryId));
		if (next.isAfter(deadline)) {
			// a last attempt at the deadline itself, then no more
			return now.isBefore(deadline) ? new RetryAt(deadline) : late;
		}
		return new RetryAt(next);
	}

	/** The wait after {@code failedBefore} + 1 failed attempts, spread by the id. */
	Duration backOff(int failedBefore, String deliveryId) {
		double millis = this.initialInterval.toMillis() * Math.pow(this.multiplier, Math.min(failedBefore, 64));
		millis = Math.min(millis, this.maxInterval.toMillis());
		double spread = Math.floorMod(deliveryId.hashCode() * 31 + failedBefore, 1000) / 10_000.0;
		return Duration.ofMillis(Math.round(millis * (1 + spread)));
	}

	/**
	 * {@code Retry-After} as delay seconds or an HTTP date; {@code null} when absent or
	 * unreadable.
	 */
	static Duration retryAfter(String header, Instant now) {
		if (header == null || header.isBlank()) {
			return null;
		}
		String value = header.trim();
		try {
			long seconds = Long.parseLong(value);
			return (seconds >= 0) ? Duration.ofSeconds(Math.min(seconds, Duration.ofDays(365).toSeconds())) : null;
		}
		catch (NumberFormatException ex) {
			try {
				Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
				return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
			}
			catch (DateTimeParseException notADate) {
				return null;
			}
		}
	}

}
