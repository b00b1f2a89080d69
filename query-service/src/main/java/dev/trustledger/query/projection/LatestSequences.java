package dev.trustledger.query.projection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The latest sequence of each engagement that this instance knows was recorded: so that
 * an answer kept in memory for an engagement at some sequence can be given without asking
 * the store whether the engagement has moved on since.
 * <p>
 * It learns a sequence three ways: from this instance's projection, <em>before</em> it
 * writes anything of an event (so that no kept answer is given once the store may hold
 * it) and again once it has written it; from this instance's live feed, which sees every
 * event on the topic whichever instance of the consumer group projects it; and from the
 * engagement documents the engagement and timeline reads fetch. It only ever rises.
 * <p>
 * It knows only what it learnt while the live feed watches the topic and has settled:
 * from {@code trustledger.query.latest-sequences.settle} (60 s) after the feed began
 * watching (at the topic's end), until the feed stops or fails, or the topic gains a
 * partition; and it says nothing while the feed has not polled for 5 s. What is announced
 * or seen while the feed settles is not said, but a document read later that is older
 * than it teaches nothing, so an event written across the end of the settling is not
 * missed. An event recorded before the feed began watching is never seen by it; if
 * another instance of the consumer group projects it, it is in the store within the
 * settling time (it is assumed), and whatever is learnt after that reads it there. So an
 * answer given at the sequence this says is the latest is as current as the store was
 * when the request came, except for an event another instance projected before this
 * instance's feed has seen it (about the feed's poll interval) or one recorded before the
 * feed began watching and projected elsewhere more than the settling time later. The
 * portfolio index follows the feed in the same way. With one instance, its own projection
 * announces every event before writing it.
 * <p>
 * It holds one entry per engagement (its id and a number) learnt since the feed began
 * watching: at most the portfolio's size, and less than the portfolio index's row for
 * each.
 */
@Component
public class LatestSequences {

	/** A feed that has not polled for this long is not watching any more. */
	static final Duration STALLED = Duration.ofSeconds(5);

	private final Clock clock;

	private final Duration settle;

	/**
	 * What the feed's current watch has learnt, or {@code null} while it does not watch.
	 */
	private volatile Watch watch;

	/** When the feed last polled the topic ({@link System#nanoTime()}). */
	private volatile long polledAt;

	LatestSequences(Clock clock, @Value("${trustledger.query.latest-sequences.settle:60s}") Duration settle) {
		this.clock = clock;
		this.settle = settle;
	}

	/**
	 * The latest sequence of the engagement known here, or {@code null} if nothing of it
	 * has been learnt while the live feed watches and has settled.
	 */
	public Long latest(String engagementId) {
		Watch current = this.watch;
		if (current == null || !settled(current, this.clock.instant())
				|| System.nanoTime() - this.polledAt > STALLED.toNanos()) {
			return null;
		}
		return current.latest.get(engagementId);
	}

	/**
	 * An event this instance's projection is about to write or has written, or its live
	 * feed saw on the topic: the engagement's history reaches at least {@code sequence}.
	 */
	public void announced(String engagementId, long sequence) {
		// learnt once the watch has settled; before that only kept as pending, so that a
		// document read once it has settled that is older (the event being written
		// meanwhile) teaches nothing
		Watch current = this.watch;
		if (current != null) {
			(settled(current, this.clock.instant()) ? current.latest : current.pending).merge(engagementId, sequence,
					Math::max);
		}
	}

	/**
	 * What a read of an engagement's document learns from: taken before the store is
	 * asked, so that a document read before the feed had settled teaches nothing.
	 */
	public Ticket ticket() {
		Watch current = this.watch;
		return new Ticket((current != null && settled(current, this.clock.instant())) ? current : null);
	}

	/** The engagement's document as the store gave it, read with {@code ticket}. */
	public void read(Ticket ticket, String engagementId, long sequence) {
		if (ticket.watch != null) {
			Long pending = ticket.watch.pending.get(engagementId);
			if (pending == null || pending <= sequence) {
				ticket.watch.latest.merge(engagementId, sequence, Math::max);
			}
		}
	}

	/** Whether the live feed watches the topic. */
	public boolean watching() {
		return this.watch != null;
	}

	/**
	 * The live feed watches every partition of the engagement-events topic from now on (a
	 * new watch, which learns from nothing before it), or ({@code false}) no longer does:
	 * what was learnt is forgotten, since events another instance projects meanwhile are
	 * not seen.
	 */
	public void watching(boolean watching) {
		this.polledAt = System.nanoTime();
		this.watch = watching ? new Watch(this.clock.instant()) : null;
	}

	/** The live feed has just polled the topic. */
	public void polled() {
		this.polledAt = System.nanoTime();
	}

	@EventListener
	void seen(EngagementEventSeen seen) {
		announced(seen.engagementId(), seen.sequence());
	}

	private boolean settled(Watch watch, Instant now) {
		return !now.isBefore(watch.since.plus(this.settle));
	}

	/** What one watch of the feed has learnt. */
	private static final class Watch {

		final Instant since;

		final Map<String, Long> latest = new ConcurrentHashMap<>();

		/**
		 * What was announced or seen while the watch settled: never said, only a floor.
		 */
		final Map<String, Long> pending = new ConcurrentHashMap<>();

		Watch(Instant since) {
			this.since = since;
		}

	}

	/** Which watch a read of a document may teach, if any. */
	public static final class Ticket {

		private final Watch watch;

		private Ticket(Watch watch) {
			this.watch = watch;
		}

	}

}
