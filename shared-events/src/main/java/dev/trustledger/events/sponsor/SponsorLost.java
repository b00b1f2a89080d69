package dev.trustledger.events.sponsor;

import java.time.Instant;

import dev.trustledger.events.SeverityRated;

import org.axonframework.serialization.Revision;

/**
 * The executive sponsor is gone, and with them the political cover and access that change
 * work needs.
 */
@Revision("1")
public record SponsorLost(String engagementId, String incidentId, String sponsor, int severity, String reason,
		Instant occurredAt, String recordedBy) implements SeverityRated {
}
