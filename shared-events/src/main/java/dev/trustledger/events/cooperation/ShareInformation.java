package dev.trustledger.events.cooperation;

import java.time.Instant;

import dev.trustledger.events.Party;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record that a party gave the information or access the work needed. */
public record ShareInformation(@TargetAggregateIdentifier String engagementId, String incidentId, Party party,
		String incidentRef, String description, Instant occurredAt, String recordedBy) {
}
