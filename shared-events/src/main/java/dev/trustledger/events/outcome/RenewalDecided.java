package dev.trustledger.events.outcome;

import java.time.Instant;

import dev.trustledger.events.IncidentEvent;
import org.axonframework.serialization.Revision;

/**
 * The client decided on the engagement's renewal: an outcome, which scores are tested
 * against and never fed by.
 */
@Revision("1")
public record RenewalDecided(String engagementId, String incidentId, RenewalDecision decision, String note,
		Instant occurredAt, String recordedBy) implements IncidentEvent {
}
