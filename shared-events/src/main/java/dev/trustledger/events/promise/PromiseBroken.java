package dev.trustledger.events.promise;

import java.time.Instant;

import dev.trustledger.events.SeverityRated;
import dev.trustledger.events.Party;
import org.axonframework.serialization.Revision;

/**
 * A party did not keep its word.
 *
 * @param promiseId the broken promise, or {@code null} for a standalone broken commitment
 * @param severity 1 (minor) to 5 (puts the client's business at risk)
 */
@Revision("1")
public record PromiseBroken(String engagementId, String incidentId, String promiseId, Party party, int severity,
		String description, Instant occurredAt, String recordedBy) implements SeverityRated {
}
