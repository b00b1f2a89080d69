package dev.trustledger.command.publishing;

import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.trustledger.events.EngagementEvent;
import dev.trustledger.support.EngagementEventsTopic;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MessageIdentifier;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Forwards every stored engagement event to Kafka. It runs in a tracking event processor
 * over the event store (the store is the outbox): the send must be acknowledged by the
 * broker before the handler returns, and a failure propagates so that the processor keeps
 * its token and retries with back-off. Publication is therefore at least once; the
 * envelope's id and sequence let consumers drop the rare duplicate.
 */
@Component
@ProcessingGroup(EngagementEventPublisher.PROCESSING_GROUP)
class EngagementEventPublisher {

	static final String PROCESSING_GROUP = "kafka-publisher";

	private final KafkaTemplate<String, CloudEvent> kafka;

	private final CloudEventEnvelope envelope;

	private final EngagementEventsTopic topic;

	private final PublisherProperties properties;

	EngagementEventPublisher(KafkaTemplate<String, CloudEvent> kafka, CloudEventEnvelope envelope,
			EngagementEventsTopic topic, PublisherProperties properties) {
		this.kafka = kafka;
		this.envelope = envelope;
		this.topic = topic;
		this.properties = properties;
	}

	@EventHandler
	void on(EngagementEvent event, @MessageIdentifier String eventId, @Timestamp Instant recordedAt,
			@SequenceNumber Long sequence) throws InterruptedException, ExecutionException, TimeoutException {
		CloudEvent cloudEvent = this.envelope.wrap(event, eventId, recordedAt, sequence);
		// Keyed by engagement: one engagement's events stay in order in one partition.
		this.kafka.send(new ProducerRecord<>(this.topic.engagementEvents(), event.engagementId(), cloudEvent))
			.get(this.properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
	}

}
