package dev.trustledger.events.engagement;

import java.time.Instant;

import dev.trustledger.events.EngagementEvent;
import org.axonframework.serialization.Revision;

/** The engagement ended; no incident can be recorded until it is reopened. */
@Revision("1")
public record EngagementClosed(String engagementId, String note, Instant occurredAt,
		String recordedBy) implements EngagementEvent {
}
