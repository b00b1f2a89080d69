package dev.trustledger.events.responsibility;

import java.time.Instant;

import dev.trustledger.events.Party;
import dev.trustledger.events.RefersToIncident;
import dev.trustledger.events.SeverityRated;

import org.axonframework.serialization.Revision;

/**
 * The client took its share of the responsibility for a problem rather than leaving all
 * of it with the vendor.
 */
@Revision("1")
public record ClientSharedBlame(String engagementId, String incidentId, String incidentRef, int severity,
		String description, Instant occurredAt, String recordedBy) implements SeverityRated, RefersToIncident {

	/** Sharing the blame is always the client's act. */
	@Override
	public Party party() {
		return Party.CLIENT;
	}

}
