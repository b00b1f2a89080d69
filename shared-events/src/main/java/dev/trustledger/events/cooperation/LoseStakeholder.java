package dev.trustledger.events.cooperation;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record that someone on the client's side beyond the sponsor stopped taking part. */
public record LoseStakeholder(@TargetAggregateIdentifier String engagementId, String incidentId, String person,
		Integer severity, String description, Instant occurredAt, String recordedBy) {
}
