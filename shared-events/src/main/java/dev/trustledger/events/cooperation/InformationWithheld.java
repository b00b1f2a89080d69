package dev.trustledger.events.cooperation;

import java.time.Instant;

import dev.trustledger.events.Party;
import dev.trustledger.events.SeverityRated;
import org.axonframework.serialization.Revision;

/** A party kept back information or access to its people that the work needs. */
@Revision("1")
public record InformationWithheld(String engagementId, String incidentId, Party party, int severity, String description,
		Instant occurredAt, String recordedBy) implements SeverityRated {
}
