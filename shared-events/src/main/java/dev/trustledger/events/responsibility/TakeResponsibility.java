package dev.trustledger.events.responsibility;

import java.time.Instant;

import dev.trustledger.events.Party;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that a party owned a miss, typically its own, before being asked to. Severity
 * {@code null} takes the referenced incident's.
 */
public record TakeResponsibility(@TargetAggregateIdentifier String engagementId, String incidentId, Party party,
		String incidentRef, Integer severity, String description, Instant occurredAt, String recordedBy) {
}
