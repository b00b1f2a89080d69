package dev.trustledger.events.cooperation;

import java.time.Instant;

import dev.trustledger.events.Party;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record that a party resisted the change the engagement exists to bring. */
public record ResistChange(@TargetAggregateIdentifier String engagementId, String incidentId, Party party,
		Integer severity, String description, Instant occurredAt, String recordedBy) {
}
