package dev.trustledger.query.projection;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.trustledger.events.EngagementEventTypes;
import dev.trustledger.events.EventEnvelope;
import dev.trustledger.events.sponsor.SponsorGained;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The reader against records written by the CloudEvents SDK's own Kafka serializer, in
 * both of its encodings.
 */
class CloudEventReaderTest {

	private static final String TOPIC = "trustledger.engagement-events";

	private static final Instant RECORDED_AT = Instant.parse("2026-03-04T10:15:30.123Z");

	/** Data as a producer other than Jackson might write it: spaces and an escape. */
	private static final String DATA = "{ \"engagementId\": \"harbour\", \"incidentId\": \"i-7\","
			+ " \"sponsor\": \"Ana \\u00d6berg\", \"note\": null, \"occurredAt\": \"2026-03-01T09:00:00Z\","
			+ " \"recordedBy\": \"ava\" }";

	private final CloudEventReader reader = new CloudEventReader(JsonMapper.builder().findAndAddModules().build());

	@Test
	void aStructuredEnvelopeIsReadWithItsDataKeptExactlyAsPublished() {
		RecordedEvent recorded = this.reader.read(record("STRUCTURED", envelope(7L).build()));

		assertThat(recorded.eventId()).isEqualTo("e-7");
		assertThat(recorded.engagementId()).isEqualTo("harbour");
		assertThat(recorded.sequence()).isEqualTo(7);
		assertThat(recorded.recordedAt()).isEqualTo(RECORDED_AT);
		assertThat(recorded.recordedBy()).isEqualTo("ava");
		assertThat(recorded.type()).isEqualTo(EngagementEventTypes.typeOf(SponsorGained.class));
		assertThat(recorded.data()).isEqualTo(DATA);
		assertThat(recorded.event()).isEqualTo(new SponsorGained("harbour", "i-7", "Ana \u00d6berg", null,
				Instant.parse("2026-03-01T09:00:00Z"), "ava"));
	}

	@Test
	void aBinaryModeRecordGoesThroughTheSdkToTheSameEvent() {
		RecordedEvent structured = this.reader.read(record("STRUCTURED", envelope(7L).build()));
		RecordedEvent binary = this.reader.read(record("BINARY", envelope(7L).build()));

		assertThat(binary.event()).isEqualTo(structured.event());
		assertThat(binary.sequence()).isEqualTo(structured.sequence());
		assertThat(binary.recordedAt()).isEqualTo(structured.recordedAt());
		assertThat(binary.recordedBy()).isEqualTo(structured.recordedBy());
	}

	@Test
	void anUnknownTypeIsReadWithoutAnEvent() {
		RecordedEvent recorded = this.reader
			.read(record("STRUCTURED", envelope(3L).withType("dev.trustledger.engagement.SomethingNew").build()));

		assertThat(recorded.known()).isFalse();
		assertThat(recorded.sequence()).isEqualTo(3);
		assertThat(recorded.data()).isEqualTo(DATA);
	}

	@Test
	void anEnvelopeWithoutItsSequenceIsUnreadable() {
		CloudEvent withoutSequence = CloudEventBuilder.v1(envelope(1L).build())
			.withoutExtension(EventEnvelope.SEQUENCE)
			.build();

		assertThatExceptionOfType(UnreadableEventException.class)
			.isThrownBy(() -> this.reader.read(record("STRUCTURED", withoutSequence)))
			.withMessageContaining(EventEnvelope.SEQUENCE);
	}

	@Test
	void aValueThatIsNotJsonIsUnreadable() {
		ConsumerRecord<String, byte[]> record = record("STRUCTURED", envelope(1L).build());
		ConsumerRecord<String, byte[]> garbled = new ConsumerRecord<>(TOPIC, 0, 0, 0L, TimestampType.CREATE_TIME, 0, 0,
				"harbour", "{\"id\": \"e-7\", \"data\": ".getBytes(StandardCharsets.UTF_8), record.headers(),
				java.util.Optional.empty());

		assertThatExceptionOfType(UnreadableEventException.class).isThrownBy(() -> this.reader.read(garbled));
	}

	private static CloudEventBuilder envelope(long sequence) {
		return CloudEventBuilder.v1()
			.withId("e-7")
			.withType(EngagementEventTypes.typeOf(SponsorGained.class))
			.withSource(URI.create(EventEnvelope.SOURCE_PREFIX + "harbour"))
			.withSubject("harbour")
			.withTime(RECORDED_AT.atOffset(ZoneOffset.UTC))
			.withDataContentType("application/json")
			.withData(DATA.getBytes(StandardCharsets.UTF_8))
			.withExtension(EventEnvelope.SEQUENCE, sequence)
			.withExtension(EventEnvelope.RECORDED_BY, "ava");
	}

	/** The record a consumer reading bytes gets for an event the SDK serialized. */
	private static ConsumerRecord<String, byte[]> record(String encoding, CloudEvent event) {
		RecordHeaders headers = new RecordHeaders();
		try (CloudEventSerializer serializer = new CloudEventSerializer()) {
			serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, encoding,
					CloudEventSerializer.EVENT_FORMAT_CONFIG, "application/cloudevents+json"), false);
			byte[] value = serializer.serialize(TOPIC, headers, event);
			return new ConsumerRecord<>(TOPIC, 0, 0, 0L, TimestampType.CREATE_TIME, 0, value.length, "harbour", value,
					headers, java.util.Optional.empty());
		}
	}

}
