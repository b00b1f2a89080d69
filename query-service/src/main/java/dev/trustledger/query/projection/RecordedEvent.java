package dev.trustledger.query.projection;

import java.time.Instant;

import dev.trustledger.events.EngagementEvent;

/**
 * An engagement event as it arrived from Kafka, with what its envelope says about it.
 *
 * @param eventId the event's unique id
 * @param sequence its position in the engagement's history, from 0
 * @param recordedAt when the command service stored it
 * @param recordedBy who recorded it, when the envelope says
 * @param type the published event type
 * @param event the fact itself, or {@code null} for a type this service does not know
 * @param data the event's JSON as published
 */
public record RecordedEvent(String eventId, String engagementId, long sequence, Instant recordedAt, String recordedBy,
		String type, EngagementEvent event, String data) {

	/**
	 * A type and a recorder repeat across a whole history: one string for each, not one
	 * per event held by a rebuild.
	 */
	public RecordedEvent {
		type = (type != null) ? type.intern() : null;
		recordedBy = (recordedBy != null) ? recordedBy.intern() : null;
	}

	public boolean known() {
		return this.event != null;
	}

}
