package dev.trustledger.scoring;

import dev.trustledger.events.EngagementEvent;

/**
 * An event of one engagement with its place in the recorded history.
 *
 * @param sequence its sequence number in the engagement, which breaks ties between events
 * that occurred at the same instant
 */
public record ScorableEvent(long sequence, String eventId, EngagementEvent event) {
}
