package dev.trustledger.query.projection;

/**
 * An engagement event seen on the topic by this instance's live feed, which reads every
 * partition: this instance or another of its consumer group projects it.
 *
 * @param engagementId the engagement
 * @param sequence the event's sequence in the engagement's history
 */
public record EngagementEventSeen(String engagementId, long sequence) {
}
