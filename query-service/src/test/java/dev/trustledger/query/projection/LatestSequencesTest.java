package dev.trustledger.query.projection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The latest sequences say nothing unless the live feed watches, learn from documents
 * read only once it has settled, only ever rise, and forget everything when the feed
 * stops.
 */
class LatestSequencesTest {

	private final SetClock clock = new SetClock(Instant.parse("2026-03-01T09:00:00Z"));

	private final LatestSequences sequences = new LatestSequences(this.clock, Duration.ofSeconds(60));

	@Test
	void nothingIsSaidWhileTheLiveFeedDoesNotWatch() {
		this.sequences.announced("e-1", 4);
		assertThat(this.sequences.watching()).isFalse();
		assertThat(this.sequences.latest("e-1")).isNull();
		this.sequences.watching(true);
		assertThat(this.sequences.latest("e-1")).isEqualTo(4L);
	}

	@Test
	void aDocumentReadIsLearntOnlyOnceTheFeedHasWatchedForTheSettlingTime() {
		this.sequences.watching(true);
		this.sequences.read("e-1", 3);
		assertThat(this.sequences.latest("e-1")).isNull();
		this.clock.advance(Duration.ofSeconds(59));
		this.sequences.read("e-1", 3);
		assertThat(this.sequences.latest("e-1")).isNull();
		this.clock.advance(Duration.ofSeconds(1));
		this.sequences.read("e-1", 3);
		assertThat(this.sequences.latest("e-1")).isEqualTo(3L);
	}

	@Test
	void aSequenceOnlyEverRises() {
		this.sequences.watching(true);
		this.clock.advance(Duration.ofMinutes(5));
		this.sequences.announced("e-1", 7);
		// a read that began before the event was written
		this.sequences.read("e-1", 6);
		assertThat(this.sequences.latest("e-1")).isEqualTo(7L);
		this.sequences.read("e-1", 8);
		assertThat(this.sequences.latest("e-1")).isEqualTo(8L);
		this.sequences.seen(new EngagementEventSeen("e-1", 5));
		assertThat(this.sequences.latest("e-1")).isEqualTo(8L);
		this.sequences.seen(new EngagementEventSeen("e-1", 9));
		assertThat(this.sequences.latest("e-1")).isEqualTo(9L);
	}

	@Test
	void whatWasLearntIsForgottenWhenTheFeedStops() {
		this.sequences.watching(true);
		this.sequences.announced("e-1", 2);
		this.sequences.watching(false);
		assertThat(this.sequences.latest("e-1")).isNull();
		this.sequences.watching(true);
		assertThat(this.sequences.latest("e-1")).isNull();
	}

	/** A clock that stands still until moved. */
	private static final class SetClock extends Clock {

		private Instant now;

		SetClock(Instant now) {
			this.now = now;
		}

		void advance(Duration by) {
			this.now = this.now.plus(by);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
