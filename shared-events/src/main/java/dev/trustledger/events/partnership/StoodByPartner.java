package dev.trustledger.events.partnership;

import java.time.Instant;

import dev.trustledger.events.SeverityRated;
import dev.trustledger.events.Party;
import org.axonframework.serialization.Revision;

/**
 * When the work hit a setback, a party stayed alongside the other and helped put it right
 * instead of stepping away. Severity is the size of the setback.
 */
@Revision("1")
public record StoodByPartner(String engagementId, String incidentId, Party party, int severity, String description,
		Instant occurredAt, String recordedBy) implements SeverityRated {
}
