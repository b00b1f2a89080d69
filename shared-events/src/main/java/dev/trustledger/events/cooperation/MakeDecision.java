package dev.trustledger.events.cooperation;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record that a decision the work waited for was made. */
public record MakeDecision(@TargetAggregateIdentifier String engagementId, String incidentId, String incidentRef,
		String description, Instant occurredAt, String recordedBy) {
}
