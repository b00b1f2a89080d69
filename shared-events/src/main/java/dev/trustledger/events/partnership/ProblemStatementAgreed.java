package dev.trustledger.events.partnership;

import java.time.Instant;

import dev.trustledger.events.RefersToIncident;
import dev.trustledger.events.SeverityRated;

import org.axonframework.serialization.Revision;

/**
 * Both sides agreed a shared, verifiable statement of a problem instead of blaming each
 * other: the move from demonising to problem-solving.
 */
@Revision("1")
public record ProblemStatementAgreed(String engagementId, String incidentId, String incidentRef, int severity,
		String description, Instant occurredAt, String recordedBy) implements SeverityRated, RefersToIncident {
}
