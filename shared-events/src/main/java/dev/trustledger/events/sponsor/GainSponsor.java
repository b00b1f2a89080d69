package dev.trustledger.events.sponsor;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record that a client-side executive now sponsors the engagement. */
public record GainSponsor(@TargetAggregateIdentifier String engagementId, String incidentId, String sponsor,
		String note, Instant occurredAt, String recordedBy) {
}
