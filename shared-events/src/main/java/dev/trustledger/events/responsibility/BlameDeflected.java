package dev.trustledger.events.responsibility;

import java.time.Instant;

import dev.trustledger.events.RefersToIncident;
import dev.trustledger.events.SeverityRated;
import dev.trustledger.events.Party;
import org.axonframework.serialization.Revision;

/**
 * A party pushed the blame for a problem onto the other side: the adversarial pattern,
 * from either side.
 */
@Revision("1")
public record BlameDeflected(String engagementId, String incidentId, Party party, String incidentRef, int severity,
		String description, Instant occurredAt, String recordedBy) implements SeverityRated, RefersToIncident {
}
