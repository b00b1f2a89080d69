package dev.trustledger.query.projection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The latest sequences learn and say nothing until the live feed watches and has settled,
 * only ever rise, and forget everything when the feed stops or watches anew.
 */
class LatestSequencesTest {

	private final SetClock clock = new SetClock(Instant.parse("2026-03-01T09:00:00Z"));

	private final LatestSequences sequences = new LatestSequences(this.clock, Duration.ofSeconds(60));

	@Test
	void nothingIsLearntOrSaidBeforeTheLiveFeedWatchesAndHasSettled() {
		this.sequences.announced("e-1", 4);
		assertThat(this.sequences.watching()).isFalse();
		this.sequences.watching(true);
		assertThat(this.sequences.latest("e-1")).isNull();
		// while the feed settles: an event recorded before it watched may be projected
		// elsewhere yet
		LatestSequences.Ticket early = this.sequences.ticket();
		this.sequences.announced("e-1", 5);
		this.sequences.seen(new EngagementEventSeen("e-2", 3));
		this.clock.advance(Duration.ofSeconds(59));
		assertThat(this.sequences.latest("e-1")).isNull();
		this.clock.advance(Duration.ofSeconds(1));
		this.sequences.polled();
		// a document fetched before the feed had settled teaches nothing either
		this.sequences.read(early, "e-3", 8);
		assertThat(this.sequences.latest("e-1")).isNull();
		assertThat(this.sequences.latest("e-2")).isNull();
		assertThat(this.sequences.latest("e-3")).isNull();
		this.sequences.announced("e-1", 6);
		this.sequences.seen(new EngagementEventSeen("e-2", 4));
		this.sequences.read(this.sequences.ticket(), "e-3", 9);
		assertThat(this.sequences.latest("e-1")).isEqualTo(6L);
		assertThat(this.sequences.latest("e-2")).isEqualTo(4L);
		assertThat(this.sequences.latest("e-3")).isEqualTo(9L);
	}

	@Test
	void aDocumentOlderThanAnEventAnnouncedWhileTheFeedSettledTeachesNothing() {
		this.sequences.watching(true);
		// announced before it is written, while the feed settles: not said
		this.sequences.announced("e-1", 5);
		this.sequences.seen(new EngagementEventSeen("e-2", 7));
		this.clock.advance(Duration.ofSeconds(60));
		this.sequences.polled();
		// fetched once the feed has settled, before the event was written
		this.sequences.read(this.sequences.ticket(), "e-1", 4);
		this.sequences.read(this.sequences.ticket(), "e-2", 6);
		assertThat(this.sequences.latest("e-1")).isNull();
		assertThat(this.sequences.latest("e-2")).isNull();
		// and once it is
		this.sequences.read(this.sequences.ticket(), "e-1", 5);
		this.sequences.read(this.sequences.ticket(), "e-2", 7);
		assertThat(this.sequences.latest("e-1")).isEqualTo(5L);
		assertThat(this.sequences.latest("e-2")).isEqualTo(7L);
	}

	@Test
	void aSequenceOnlyEverRises() {
		settledWatch();
		LatestSequences.Ticket before = this.sequences.ticket();
		this.sequences.announced("e-1", 7);
		// a read that fetched the document before the event was written
		this.sequences.read(before, "e-1", 6);
		assertThat(this.sequences.latest("e-1")).isEqualTo(7L);
		this.sequences.read(this.sequences.ticket(), "e-1", 8);
		assertThat(this.sequences.latest("e-1")).isEqualTo(8L);
		this.sequences.seen(new EngagementEventSeen("e-1", 5));
		assertThat(this.sequences.latest("e-1")).isEqualTo(8L);
		this.sequences.seen(new EngagementEventSeen("e-1", 9));
		assertThat(this.sequences.latest("e-1")).isEqualTo(9L);
	}

	@Test
	void whatAWatchLearntIsForgottenWhenTheFeedStopsOrWatchesAnew() {
		settledWatch();
		LatestSequences.Ticket ticket = this.sequences.ticket();
		this.sequences.announced("e-1", 2);
		this.sequences.watching(false);
		assertThat(this.sequences.latest("e-1")).isNull();
		settledWatch();
		assertThat(this.sequences.latest("e-1")).isNull();
		// a read that began in the watch before teaches this one nothing
		this.sequences.read(ticket, "e-1", 3);
		assertThat(this.sequences.latest("e-1")).isNull();
	}

	/** The feed watches anew, and has settled. */
	private void settledWatch() {
		this.sequences.watching(true);
		this.clock.advance(Duration.ofSeconds(60));
		this.sequences.polled();
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
