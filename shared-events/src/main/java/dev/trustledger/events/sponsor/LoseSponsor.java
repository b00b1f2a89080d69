package dev.trustledger.events.sponsor;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that the client-side sponsor left or withdrew support. {@code sponsor}
 * {@code null} means the current one.
 */
public record LoseSponsor(@TargetAggregateIdentifier String engagementId, String incidentId, String sponsor,
		int severity, String reason, Instant occurredAt, String recordedBy) {
}
