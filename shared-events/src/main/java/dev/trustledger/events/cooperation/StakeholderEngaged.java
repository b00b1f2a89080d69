package dev.trustledger.events.cooperation;

import java.time.Instant;

import dev.trustledger.events.IncidentEvent;
import org.axonframework.serialization.Revision;

/** Someone on the client's side beyond the sponsor took part in the work. */
@Revision("1")
public record StakeholderEngaged(String engagementId, String incidentId, String person, String description,
		Instant occurredAt, String recordedBy) implements IncidentEvent {
}
