package dev.trustledger.events.cooperation;

import java.time.Instant;

import dev.trustledger.events.SeverityRated;
import org.axonframework.serialization.Revision;

/** A decision the work waits for was not made when it was needed. */
@Revision("1")
public record DecisionStalled(String engagementId, String incidentId, int severity, String description,
		Instant occurredAt, String recordedBy) implements SeverityRated {
}
