package dev.trustledger.command.publishing;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.EngagementEventTypes;
import dev.trustledger.events.EventEnvelope;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import org.springframework.stereotype.Component;

/**
 * Wraps a stored engagement event in the public CloudEvents envelope (docs/events.md) and
 * writes it as the Kafka record it is published as: structured JSON, keyed by engagement.
 * The record is written here, while its event is handled, rather than by the producer at
 * send time, so that an event that cannot be written fails alone and is parked instead of
 * failing the whole batch on every retry.
 */
@Component
class CloudEventEnvelope {

	/**
	 * The largest record written: under the producer's and the broker's default limit of
	 * 1 MiB, which the engagement's bounds keep every event far below (docs/domain.md).
	 */
	static final int MAX_RECORD_BYTES = 1_000_000;

	private final ObjectMapper objectMapper;

	private final CloudEventSerializer serializer = new CloudEventSerializer();

	CloudEventEnvelope(ObjectMapper objectMapper) {
		this.objectMapper = objectMapper;
		this.serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, Encoding.STRUCTURED,
				CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE), false);
	}

	/**
	 * The record of one event, with the trace context of the request that recorded it
	 * (the CloudEvents distributed-tracing extension) when there is one.
	 * @throws IllegalArgumentException when it cannot be written or is too large
	 */
	ProducerRecord<String, byte[]> record(String topic, EngagementEvent event, String eventId, Instant recordedAt,
			long sequence, String traceparent, String tracestate) {
		CloudEvent cloudEvent = wrap(event, eventId, recordedAt, sequence);
		if (traceparent != null) {
			CloudEventBuilder traced = CloudEventBuilder.from(cloudEvent)
				.withExtension(EventEnvelope.TRACEPARENT, traceparent);
			if (tracestate != null) {
				traced.withExtension(EventEnvelope.TRACESTATE, tracestate);
			}
			cloudEvent = traced.build();
		}
		RecordHeaders headers = new RecordHeaders();
		byte[] value = this.serializer.serialize(topic, headers, cloudEvent);
		if (value.length > MAX_RECORD_BYTES) {
			throw new IllegalArgumentException("The envelope of event " + eventId + " is " + value.length
					+ " bytes, over the " + MAX_RECORD_BYTES + " a record may have.");
		}
		return new ProducerRecord<>(topic, null, event.engagementId(), value, headers);
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
