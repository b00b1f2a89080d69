package dev.trustledger.events.partnership;

import java.time.Instant;

import dev.trustledger.events.Party;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that a party stayed with the other through a setback instead of distancing
 * itself.
 */
public record StandByPartner(@TargetAggregateIdentifier String engagementId, String incidentId, Party party,
		int severity, String description, Instant occurredAt, String recordedBy) {
}
