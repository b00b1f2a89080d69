package dev.trustledger.events.cooperation;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record that a decision the work waits for was not made when it was needed. */
public record StallDecision(@TargetAggregateIdentifier String engagementId, String incidentId, Integer severity,
		String description, Instant occurredAt, String recordedBy) {
}
