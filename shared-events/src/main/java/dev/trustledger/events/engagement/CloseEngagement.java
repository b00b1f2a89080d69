package dev.trustledger.events.engagement;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stop recording incidents on an engagement: the work ended, or the relationship did. */
public record CloseEngagement(@TargetAggregateIdentifier String engagementId, String note, Instant occurredAt,
		String recordedBy) {
}
