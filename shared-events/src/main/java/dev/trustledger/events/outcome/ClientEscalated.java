package dev.trustledger.events.outcome;

import java.time.Instant;

import dev.trustledger.events.SeverityRated;
import org.axonframework.serialization.Revision;

/**
 * The client took a complaint over the account team's heads to the vendor's leadership:
 * an outcome, which scores are tested against and never fed by.
 *
 * @param severity how serious the complaint was, 1 to 5
 */
@Revision("1")
public record ClientEscalated(String engagementId, String incidentId, int severity, String description,
		Instant occurredAt, String recordedBy) implements SeverityRated {
}
