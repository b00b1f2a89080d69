package dev.trustledger.events.cooperation;

import java.time.Instant;

import dev.trustledger.events.SeverityRated;
import org.axonframework.serialization.Revision;

/** Someone on the client's side beyond the sponsor stopped taking part. */
@Revision("1")
public record StakeholderLost(String engagementId, String incidentId, String person, int severity, String description,
		Instant occurredAt, String recordedBy) implements SeverityRated {
}
