package dev.trustledger.events.engagement;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Resume a closed engagement: new work with the same client continues its history. */
public record ReopenEngagement(@TargetAggregateIdentifier String engagementId, String note, Instant occurredAt,
		String recordedBy) {
}
