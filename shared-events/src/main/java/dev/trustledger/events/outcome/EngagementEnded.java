package dev.trustledger.events.outcome;

import java.time.Instant;

import dev.trustledger.events.IncidentEvent;
import org.axonframework.serialization.Revision;

/**
 * The engagement ended, and how: an outcome, which scores are tested against and never
 * fed by. The engagement is closed by it, as by {@code EngagementClosed}.
 */
@Revision("1")
public record EngagementEnded(String engagementId, String incidentId, Ending ending, String note, Instant occurredAt,
		String recordedBy) implements IncidentEvent {
}
