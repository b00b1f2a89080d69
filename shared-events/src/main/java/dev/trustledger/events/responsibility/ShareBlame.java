package dev.trustledger.events.responsibility;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that the client accepted part of the responsibility for an incident. Severity
 * {@code null} takes the referenced incident's.
 */
public record ShareBlame(@TargetAggregateIdentifier String engagementId, String incidentId, String incidentRef,
		Integer severity, String description, Instant occurredAt, String recordedBy) {
}
