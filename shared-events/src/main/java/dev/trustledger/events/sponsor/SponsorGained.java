package dev.trustledger.events.sponsor;

import java.time.Instant;

import dev.trustledger.events.IncidentEvent;

import org.axonframework.serialization.Revision;

/** A client-side executive now sponsors the engagement. */
@Revision("1")
public record SponsorGained(String engagementId, String incidentId, String sponsor, String note, Instant occurredAt,
		String recordedBy) implements IncidentEvent {
}
