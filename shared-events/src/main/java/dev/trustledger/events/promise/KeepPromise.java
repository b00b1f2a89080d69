package dev.trustledger.events.promise;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record that a made promise was kept. */
public record KeepPromise(@TargetAggregateIdentifier String engagementId, String incidentId, String promiseId,
		String note, Instant occurredAt, String recordedBy) {
}
