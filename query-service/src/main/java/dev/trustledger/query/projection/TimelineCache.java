package dev.trustledger.query.projection;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.trustledger.scoring.ScoringEngine;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The scored timelines of the engagements this instance projected last, least recently
 * used out first, so that the next event of a busy engagement is scored from the running
 * state instead of its whole history. An entry is valid only for the sequence it was
 * built up to: if anyone else applied an event since, the history is read again. An entry
 * is taken out while an event is applied and put back only once it is committed.
 */
@Component
class TimelineCache {

	private final Map<String, Entry> entries;

	TimelineCache(@Value("${trustledger.projection.timeline-cache-size:10000}") int size) {
		this.entries = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
				return size() > size;
			}

		};
	}

	/**
	 * Takes out the timeline of an engagement built up to {@code lastSequence}, or
	 * answers {@code null}.
	 */
	synchronized ScoringEngine.Timeline take(int generation, String engagementId, long lastSequence) {
		Entry entry = this.entries.remove(key(generation, engagementId));
		return (entry != null && entry.lastSequence() == lastSequence) ? entry.timeline() : null;
	}

	synchronized void put(int generation, String engagementId, long lastSequence, ScoringEngine.Timeline timeline) {
		this.entries.put(key(generation, engagementId), new Entry(lastSequence, timeline));
	}

	private static String key(int generation, String engagementId) {
		return generation + "/" + engagementId;
	}

	private record Entry(long lastSequence, ScoringEngine.Timeline timeline) {
	}

}
