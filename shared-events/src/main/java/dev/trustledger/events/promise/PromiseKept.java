package dev.trustledger.events.promise;

import java.time.Instant;

import dev.trustledger.events.SeverityRated;
import dev.trustledger.events.Party;
import org.axonframework.serialization.Revision;

/**
 * A made promise was kept. Party and severity are the promise's own, copied so that the
 * event stands on its own.
 */
@Revision("1")
public record PromiseKept(String engagementId, String incidentId, String promiseId, Party party, int severity,
		String note, Instant occurredAt, String recordedBy) implements SeverityRated {
}
