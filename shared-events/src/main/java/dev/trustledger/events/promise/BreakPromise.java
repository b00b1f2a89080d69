package dev.trustledger.events.promise;

import java.time.Instant;

import dev.trustledger.events.Party;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that a party did not do what it said it would.
 *
 * @param incidentId caller-supplied id of this incident
 * @param promiseId the promise that was broken, or {@code null} for a standalone broken
 * commitment that was never recorded as a promise
 * @param party who broke it; for a made promise, {@code null} means the promise's party
 * @param severity 1 (minor) to 5 (puts the client's business at risk); for a made
 * promise, {@code null} means the promise's own
 */
public record BreakPromise(@TargetAggregateIdentifier String engagementId, String incidentId, String promiseId,
		Party party, Integer severity, String description, Instant occurredAt, String recordedBy) {
}
