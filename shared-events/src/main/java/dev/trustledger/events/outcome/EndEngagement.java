package dev.trustledger.events.outcome;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record how the engagement ended; it is closed by it. */
public record EndEngagement(@TargetAggregateIdentifier String engagementId, String incidentId, Ending ending,
		String note, Instant occurredAt, String recordedBy) {
}
