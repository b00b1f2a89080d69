package dev.trustledger.events;

import java.time.Instant;

/**
 * A fact recorded on one engagement. Every event names its engagement first, says when it
 * happened in the business ({@link #occurredAt()}) and who recorded it. When it was
 * recorded is the event store's timestamp, not part of the payload.
 */
public interface EngagementEvent {

	String engagementId();

	Instant occurredAt();

	String recordedBy();

}
