package dev.trustledger.query.projection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.EngagementEventTypes;
import dev.trustledger.events.EventEnvelope;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import org.springframework.stereotype.Component;

/**
 * Reads the public CloudEvents envelope (docs/events.md) back into a recorded event.
 * <p>
 * Records arrive as bytes. A structured JSON envelope, which is what the command service
 * publishes, is read in one pass: the attributes this service needs, and the event bound
 * straight from the {@code data} member, whose bytes are kept exactly as published. Any
 * other encoding (binary mode, say) goes through the CloudEvents SDK. Every consumer of
 * the topic, the live projection and a rebuild alike, reads through here, so both store
 * the same thing.
 */
@Component
public class CloudEventReader {

	private static final String STRUCTURED_JSON = "application/cloudevents+json";

	private final ObjectMapper objectMapper;

	private final ClassValue<ObjectReader> readers = new ClassValue<>() {
		@Override
		protected ObjectReader computeValue(Class<?> type) {
			return CloudEventReader.this.objectMapper.readerFor(type);
		}
	};

	CloudEventReader(ObjectMapper objectMapper) {
		// the application's mapper, reading the services' own timestamps directly
		this.objectMapper = objectMapper.copy().registerModule(Timestamps.jacksonModule());
	}

	/** Reads one record of the engagement-events topic. */
	public RecordedEvent read(ConsumerRecord<String, byte[]> record) {
		if (record.value() == null) {
			throw new UnreadableEventException("Record " + coordinates(record) + " has no value", null);
		}
		if (!structuredJson(record)) {
			return read(cloudEvent(record));
		}
		try {
			return readStructured(record.value());
		}
		catch (IOException | RuntimeException ex) {
			throw new UnreadableEventException("Unreadable event at " + coordinates(record) + ": " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * The record's trace context, the CloudEvents distributed-tracing extension
	 * ({@code traceparent}, {@code tracestate}), read from the envelope's top level
	 * alone; empty when it has none or cannot be read, which never fails a record.
	 */
	public Map<String, String> traceContext(ConsumerRecord<String, byte[]> record) {
		Map<String, String> context = new LinkedHashMap<>();
		if (record.value() == null || !structuredJson(record)) {
			return context;
		}
		try (JsonParser parser = this.objectMapper.getFactory().createParser(record.value())) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return context;
			}
			while (parser.nextToken() == JsonToken.FIELD_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if ((EventEnvelope.TRACEPARENT.equals(name) || EventEnvelope.TRACESTATE.equals(name))
						&& value == JsonToken.VALUE_STRING) {
					context.put(name, parser.getText());
				}
				else if ("data".equals(name)) {
					// the SDK writes the extensions before the data, which is most of a
					// record: not read a second time
					break;
				}
				else {
					parser.skipChildren();
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// the record's own reading says what is wrong with it
		}
		return context;
	}

	/** Any record as a CloudEvent, through the SDK: alerts, and other encodings. */
	public CloudEvent cloudEvent(ConsumerRecord<String, byte[]> record) {
		try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
			return deserializer.deserialize(record.topic(), record.headers(), record.value());
		}
		catch (RuntimeException ex) {
			throw new UnreadableEventException("Unreadable event at " + coordinates(record) + ": " + ex.getMessage(),
					ex);
		}
	}

	/** Reads an event from its envelope (a record in binary mode, or a test). */
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

	private static boolean structuredJson(ConsumerRecord<String, byte[]> record) {
		Header contentType = record.headers().lastHeader("content-type");
		return contentType != null && contentType.value() != null
				&& new String(contentType.value(), StandardCharsets.UTF_8).startsWith(STRUCTURED_JSON);
	}

	private RecordedEvent readStructured(byte[] json) throws IOException {
		String id = null;
		String subject = null;
		String type = null;
		String time = null;
		String recordedBy = null;
		Long sequence = null;
		int dataStart = -1;
		int dataEnd = -1;
		try (JsonParser parser = this.objectMapper.getFactory().createParser(json)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new IllegalArgumentException("the envelope is not a JSON object");
			}
			while (parser.nextToken() == JsonToken.FIELD_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				switch (name) {
					case "id" -> id = parser.getValueAsString();
					case "subject" -> subject = parser.getValueAsString();
					case "type" -> type = parser.getValueAsString();
					case "time" -> time = parser.getValueAsString();
					case EventEnvelope.RECORDED_BY -> recordedBy = parser.getValueAsString();
					case EventEnvelope.SEQUENCE -> sequence = (value == JsonToken.VALUE_NUMBER_INT)
							? parser.getLongValue() : Long.valueOf(parser.getValueAsString());
					case "data" -> {
						if (value != JsonToken.START_OBJECT) {
							throw new IllegalArgumentException("data is not a JSON object");
						}
						dataStart = (int) parser.currentTokenLocation().getByteOffset();
						parser.skipChildren();
						dataEnd = (int) parser.currentLocation().getByteOffset();
					}
					default -> parser.skipChildren();
				}
			}
		}
		Objects.requireNonNull(id, "id");
		if (sequence == null) {
			throw new IllegalArgumentException("event " + id + " has no " + EventEnvelope.SEQUENCE);
		}
		Instant recordedAt = Timestamps.parse(Objects.requireNonNull(time, "time"));
		if (dataStart < 0) {
			throw new IllegalArgumentException("event " + id + " has no data");
		}
		int start = dataStart;
		int length = dataEnd - dataStart;
		String eventId = id;
		EngagementEvent event = EngagementEventTypes.classOf(Objects.requireNonNull(type, "type"))
			.map((known) -> parse(eventId, json, start, length, known))
			.orElse(null);
		return new RecordedEvent(id, subject, sequence, recordedAt, recordedBy, type, event,
				new String(json, start, length, StandardCharsets.UTF_8));
	}

	private RecordedEvent readEnvelope(CloudEvent cloudEvent) {
		Object sequence = Objects.requireNonNull(cloudEvent.getExtension(EventEnvelope.SEQUENCE),
				() -> "event " + cloudEvent.getId() + " has no " + EventEnvelope.SEQUENCE);
		Instant recordedAt = Objects.requireNonNull(cloudEvent.getTime(), "time").toInstant();
		byte[] data = Objects.requireNonNull(cloudEvent.getData(), "data").toBytes();
		EngagementEvent event = EngagementEventTypes.classOf(cloudEvent.getType())
			.map((type) -> parse(cloudEvent.getId(), data, 0, data.length, type))
			.orElse(null);
		Object recordedBy = cloudEvent.getExtension(EventEnvelope.RECORDED_BY);
		return new RecordedEvent(cloudEvent.getId(), cloudEvent.getSubject(), integer(sequence), recordedAt,
				(recordedBy != null) ? recordedBy.toString() : null, cloudEvent.getType(), event,
				new String(data, StandardCharsets.UTF_8));
	}

	/**
	 * The JSON event format hands integer extensions back as strings; binary mode as
	 * numbers.
	 */
	private static long integer(Object value) {
		return (value instanceof Number number) ? number.longValue() : Long.parseLong(value.toString());
	}

	private EngagementEvent parse(String eventId, byte[] data, int offset, int length,
			Class<? extends EngagementEvent> type) {
		try {
			return this.readers.get(type).readValue(data, offset, length);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Unreadable data in event " + eventId, ex);
		}
	}

	private static String coordinates(ConsumerRecord<String, byte[]> record) {
		return record.topic() + "-" + record.partition() + "@" + record.offset();
	}

}
