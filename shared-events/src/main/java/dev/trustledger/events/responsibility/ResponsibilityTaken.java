package dev.trustledger.events.responsibility;

import java.time.Instant;

import dev.trustledger.events.RefersToIncident;
import dev.trustledger.events.SeverityRated;
import dev.trustledger.events.Party;
import org.axonframework.serialization.Revision;

/**
 * A party owned a miss instead of explaining it away: the vendor that finds its own
 * failure and calls the client first.
 */
@Revision("1")
public record ResponsibilityTaken(String engagementId, String incidentId, Party party, String incidentRef, int severity,
		String description, Instant occurredAt, String recordedBy) implements SeverityRated, RefersToIncident {
}
