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
 * writes anything of that event (so that no kept answer is given once the store may hold
 * the event); from this instance's live feed, which sees every event on the topic
 * whichever instance of the consumer group projects it; and from the engagement documents
 * the engagement and timeline reads fetch. It only ever rises.
 * <p>
 * It answers only while the live feed is watching the topic, and it learns from documents
 * read only once the feed has watched for
 * {@code trustledger.query.latest-sequences.settle} (60 s): the feed starts at the
 * topic's end, so an event recorded before then and projected by another instance after a
 * document was read would never be learnt. So an answer given at the sequence this says
 * is the latest is as current as the store was when the request came, except for an event
 * another instance projected before this instance's feed has seen it (about the feed's
 * poll interval, more if the feed lags) or, for an event recorded before the feed
 * started, more than the settling time after it was recorded. The portfolio index follows
 * the feed in the same way. With one instance, its own projection announces every event
 * before writing it, and none of that applies.
 * <p>
 * It holds one entry per engagement (its id and a number) read or changed since this
 * instance started: at most the portfolio's size, and less than the portfolio index's row
 * for each.
 */
@Component
public class LatestSequences {

	private final Map<String, Long> latest = new ConcurrentHashMap<>();

	private final Clock clock;

	private final Duration settle;

	/** Since when the live feed watches every partition of the topic, or null. */
	private volatile Instant watchedSince;

	LatestSequences(Clock clock, @Value("${trustledger.query.latest-sequences.settle:60s}") Duration settle) {
		this.clock = clock;
		this.settle = settle;
	}

	/**
	 * The latest sequence of the engagement known here, or {@code null} if nothing of it
	 * has been learnt since this instance started or the live feed is not watching.
	 */
	public Long latest(String engagementId) {
		return (this.watchedSince != null) ? this.latest.get(engagementId) : null;
	}

	/**
	 * An event this instance's projection is about to write, or its live feed saw on the
	 * topic: the engagement's history reaches at least {@code sequence}.
	 */
	public void announced(String engagementId, long sequence) {
		this.latest.merge(engagementId, sequence, Math::max);
	}

	/**
	 * The engagement's document as the store gave it: at {@code sequence}. Learnt only
	 * once the live feed has settled.
	 */
	public void read(String engagementId, long sequence) {
		Instant since = this.watchedSince;
		if (since != null && !this.clock.instant().isBefore(since.plus(this.settle))) {
			this.latest.merge(engagementId, sequence, Math::max);
		}
	}

	/**
	 * Whether the live feed watches the topic: until it does, {@link #latest} says
	 * nothing.
	 */
	public boolean watching() {
		return this.watchedSince != null;
	}

	/**
	 * The live feed watches every partition of the engagement-events topic from now on,
	 * or ({@code false}) no longer does: what was learnt is then forgotten, since events
	 * another instance projects meanwhile are not seen.
	 */
	public void watching(boolean watching) {
		if (watching) {
			this.watchedSince = this.clock.instant();
		}
		else {
			this.watchedSince = null;
			this.latest.clear();
		}
	}

	@EventListener
	void seen(EngagementEventSeen seen) {
		announced(seen.engagementId(), seen.sequence());
	}

}
