package dev.trustledger.events.cooperation;

import java.time.Instant;

import dev.trustledger.events.Party;
import dev.trustledger.events.RefersToIncident;
import org.axonframework.serialization.Revision;

/**
 * A party gave the information or access the work needed, perhaps ending an earlier
 * withholding ({@code incidentRef}).
 */
@Revision("1")
public record InformationShared(String engagementId, String incidentId, Party party, String incidentRef,
		String description, Instant occurredAt, String recordedBy) implements RefersToIncident {
}
