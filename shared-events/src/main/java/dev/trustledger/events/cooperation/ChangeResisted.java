package dev.trustledger.events.cooperation;

import java.time.Instant;

import dev.trustledger.events.Party;
import dev.trustledger.events.SeverityRated;
import org.axonframework.serialization.Revision;

/**
 * A party resisted the change the engagement exists to bring, rather than doing its part
 * of it.
 */
@Revision("1")
public record ChangeResisted(String engagementId, String incidentId, Party party, int severity, String description,
		Instant occurredAt, String recordedBy) implements SeverityRated {
}
