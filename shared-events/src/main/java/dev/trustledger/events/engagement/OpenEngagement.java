package dev.trustledger.events.engagement;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Start tracking an engagement with a client. The id is chosen by the caller.
 *
 * @param sponsor the client-side executive sponsor, or {@code null} when there is none
 */
public record OpenEngagement(@TargetAggregateIdentifier String engagementId, String clientName, String accountTeam,
		String deliveryLead, String sponsor, Instant openedAt, String recordedBy) {
}
