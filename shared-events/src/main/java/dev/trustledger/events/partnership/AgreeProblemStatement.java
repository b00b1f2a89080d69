package dev.trustledger.events.partnership;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that both sides agreed a shared statement of a problem, optionally about an
 * earlier incident.
 */
public record AgreeProblemStatement(@TargetAggregateIdentifier String engagementId, String incidentId,
		String incidentRef, int severity, String description, Instant occurredAt, String recordedBy) {
}
