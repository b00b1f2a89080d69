package dev.trustledger.events.promise;

import java.time.Instant;

import dev.trustledger.events.Party;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record a commitment one side made to the other.
 *
 * @param promiseId caller-chosen id by which the promise is later kept or broken
 * @param severity how much rides on it, 1 to 5
 * @param dueBy when it should be kept; past it, an unresolved promise is overdue
 */
public record MakePromise(@TargetAggregateIdentifier String engagementId, String incidentId, String promiseId,
		Party party, int severity, String description, Instant dueBy, Instant occurredAt, String recordedBy) {
}
