package dev.trustledger.command.publishing;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.EngagementEventTypes;
import dev.trustledger.events.EventEnvelope;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

import org.springframework.stereotype.Component;

/**
 * Wraps a stored engagement event in the public CloudEvents envelope (docs/events.md).
 */
@Component
class CloudEventEnvelope {

	private final ObjectMapper objectMapper;

	CloudEventEnvelope(ObjectMapper objectMapper) {
		this.objectMapper = objectMapper;
	}

	CloudEvent wrap(EngagementEvent event, String eventId, Instant recordedAt, long sequence) {
		try {
			return CloudEventBuilder.v1()
				.withId(eventId)
				.withType(EngagementEventTypes.typeOf(event.getClass()))
				.withSource(URI.create(EventEnvelope.SOURCE_PREFIX + event.engagementId()))
				.withSubject(event.engagementId())
				.withTime(utc(recordedAt))
				.withDataContentType("application/json")
				.withData(this.objectMapper.writeValueAsBytes(event))
				.withExtension(EventEnvelope.SEQUENCE, sequence)
				.withExtension(EventEnvelope.OCCURRED_AT, utc(event.occurredAt()))
				.withExtension(EventEnvelope.RECORDED_BY, event.recordedBy())
				.build();
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot serialize " + event.getClass().getSimpleName(), ex);
		}
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
