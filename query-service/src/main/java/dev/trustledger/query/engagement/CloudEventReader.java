package dev.trustledger.query.engagement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.EngagementEventTypes;
import dev.trustledger.events.EventEnvelope;
import io.cloudevents.CloudEvent;

import org.springframework.stereotype.Component;

/** Reads the public CloudEvents envelope (docs/events.md) back into a recorded event. */
@Component
class CloudEventReader {

	private final ObjectMapper objectMapper;

	CloudEventReader(ObjectMapper objectMapper) {
		this.objectMapper = objectMapper;
	}

	RecordedEvent read(CloudEvent cloudEvent) {
		try {
			return readEnvelope(cloudEvent);
		}
		catch (RuntimeException ex) {
			throw new UnreadableEventException(
					"Unreadable event " + ((cloudEvent != null) ? cloudEvent.getId() : null) + ": " + ex.getMessage(),
					ex);
		}
	}

	private RecordedEvent readEnvelope(CloudEvent cloudEvent) {
		Object sequence = Objects.requireNonNull(cloudEvent.getExtension(EventEnvelope.SEQUENCE),
				() -> "event " + cloudEvent.getId() + " has no " + EventEnvelope.SEQUENCE);
		Instant recordedAt = Objects.requireNonNull(cloudEvent.getTime(), "time").toInstant();
		byte[] data = Objects.requireNonNull(cloudEvent.getData(), "data").toBytes();
		EngagementEvent event = EngagementEventTypes.classOf(cloudEvent.getType())
			.map((type) -> parse(cloudEvent.getId(), data, type))
			.orElse(null);
		Object recordedBy = cloudEvent.getExtension(EventEnvelope.RECORDED_BY);
		return new RecordedEvent(cloudEvent.getId(), cloudEvent.getSubject(), integer(sequence), recordedAt,
				(recordedBy != null) ? recordedBy.toString() : null, cloudEvent.getType(), event,
				new String(data, java.nio.charset.StandardCharsets.UTF_8));
	}

	/**
	 * The JSON event format hands integer extensions back as strings; binary mode as
	 * numbers.
	 */
	private static long integer(Object value) {
		return (value instanceof Number number) ? number.longValue() : Long.parseLong(value.toString());
	}

	private EngagementEvent parse(String eventId, byte[] data, Class<? extends EngagementEvent> type) {
		try {
			return this.objectMapper.readValue(data, type);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Unreadable data in event " + eventId, ex);
		}
	}

}
