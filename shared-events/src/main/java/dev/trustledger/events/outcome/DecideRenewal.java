package dev.trustledger.events.outcome;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record what the client decided when the engagement came up for renewal. */
public record DecideRenewal(@TargetAggregateIdentifier String engagementId, String incidentId, RenewalDecision decision,
		String note, Instant occurredAt, String recordedBy) {
}
