package dev.trustledger.events.promise;

import java.time.Instant;

import dev.trustledger.events.SeverityRated;
import dev.trustledger.events.Party;
import org.axonframework.serialization.Revision;

/**
 * One side committed to do something by a date.
 *
 * @param severity how much rides on it, 1 to 5
 */
@Revision("1")
public record PromiseMade(String engagementId, String incidentId, String promiseId, Party party, int severity,
		String description, Instant dueBy, Instant occurredAt, String recordedBy) implements SeverityRated {
}
