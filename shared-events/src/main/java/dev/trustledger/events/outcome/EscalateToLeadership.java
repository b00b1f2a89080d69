package dev.trustledger.events.outcome;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that the client took a complaint over the account team's heads to the vendor's
 * leadership.
 */
public record EscalateToLeadership(@TargetAggregateIdentifier String engagementId, String incidentId, Integer severity,
		String description, Instant occurredAt, String recordedBy) {
}
