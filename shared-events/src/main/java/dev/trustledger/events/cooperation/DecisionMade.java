package dev.trustledger.events.cooperation;

import java.time.Instant;

import dev.trustledger.events.RefersToIncident;
import org.axonframework.serialization.Revision;

/**
 * A decision the work waited for was made, perhaps ending an earlier stall
 * ({@code incidentRef}).
 */
@Revision("1")
public record DecisionMade(String engagementId, String incidentId, String incidentRef, String description,
		Instant occurredAt, String recordedBy) implements RefersToIncident {
}
