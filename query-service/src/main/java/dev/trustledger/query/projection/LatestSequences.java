package dev.trustledger.query.projection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * whichever instance of the consumer group projects it; and from every document read that
 * shows the sequence. It only ever rises. So an answer read from the store at the
 * sequence it says is the latest is as current as the store, with one exception: an event
 * another instance projected before this instance's live feed has seen it (about the
 * feed's poll interval), or before this instance started. The portfolio index has the
 * same window.
 * <p>
 * It holds one entry per engagement read or changed since this instance started: far less
 * than the portfolio index, which holds a row for every engagement.
 */
@Component
public class LatestSequences {

	private final Map<String, Long> latest = new ConcurrentHashMap<>();

	/**
	 * The latest sequence of the engagement known here, or {@code null} if nothing of it
	 * has been read or seen since this instance started.
	 */
	public Long latest(String engagementId) {
		return this.latest.get(engagementId);
	}

	/** Records that the engagement's history reaches at least {@code sequence}. */
	public void reached(String engagementId, long sequence) {
		this.latest.merge(engagementId, sequence, Math::max);
	}

	@EventListener
	void seen(EngagementEventSeen seen) {
		reached(seen.engagementId(), seen.sequence());
	}

}
