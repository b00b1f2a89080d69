package dev.trustledger.events.cooperation;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record that someone on the client's side beyond the sponsor took part in the work. */
public record EngageStakeholder(@TargetAggregateIdentifier String engagementId, String incidentId, String person,
		String description, Instant occurredAt, String recordedBy) {
}
