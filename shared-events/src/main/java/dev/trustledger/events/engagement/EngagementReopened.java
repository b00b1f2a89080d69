package dev.trustledger.events.engagement;

import java.time.Instant;

import dev.trustledger.events.EngagementEvent;
import org.axonframework.serialization.Revision;

/** A closed engagement was resumed; its history carries on. */
@Revision("1")
public record EngagementReopened(String engagementId, String note, Instant occurredAt,
		String recordedBy) implements EngagementEvent {
}
