package dev.trustledger.events.cooperation;

import java.time.Instant;

import dev.trustledger.events.Party;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record that a party kept back information or access the work needs. */
public record WithholdInformation(@TargetAggregateIdentifier String engagementId, String incidentId, Party party,
		Integer severity, String description, Instant occurredAt, String recordedBy) {
}
