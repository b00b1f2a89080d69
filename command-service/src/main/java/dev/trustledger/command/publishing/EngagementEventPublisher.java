package dev.trustledger.command.publishing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.trustledger.command.engagement.EngagementCommands;
import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.EventEnvelope;
import dev.trustledger.support.EngagementEventsTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Forwards every stored engagement event to Kafka. It runs in a tracking event processor
 * over the event store (the store is the outbox), a batch of events at a time: each event
 * of the batch is wrapped in its envelope as it is handled, and when the batch prepares
 * to commit, all of them are sent in one Kafka transaction, without waiting for each
 * record, and the transaction is committed, which waits until the broker has them all.
 * Only then does the batch commit, and with it the processor's token (the same database
 * transaction). A failure anywhere fails the whole batch: the Kafka transaction is
 * aborted, so a consumer reading committed records sees none of it, never a later event
 * of an engagement without an earlier one; the token stays where it was, and the
 * processor backs off and sends the batch again. Publication is therefore at least once
 * (a crash between the two commits sends the batch twice); the envelope's id and sequence
 * let consumers drop the duplicate.
 * <p>
 * An event whose record cannot be written is not a batch failure: the handler throws, and
 * the processor's sequenced dead-letter queue parks the event with the reason, and with
 * it every later event of the same engagement, in order, while the other engagements are
 * published (PublishingConfiguration, {@link ParkedEvents}).
 */
@Component
@ProcessingGroup(EngagementEventPublisher.PROCESSING_GROUP)
class EngagementEventPublisher {

	static final String PROCESSING_GROUP = "kafka-publisher";

	private static final String BATCH = EngagementEventPublisher.class.getName() + ".batch";

	private final KafkaTemplate<String, byte[]> kafka;

	private final CloudEventEnvelope envelope;

	private final EngagementEventsTopic topic;

	EngagementEventPublisher(@Qualifier("publisherKafkaTemplate") KafkaTemplate<String, byte[]> kafka,
			CloudEventEnvelope envelope, EngagementEventsTopic topic) {
		this.kafka = kafka;
		this.envelope = envelope;
		this.topic = topic;
	}

	@EventHandler
	void on(EngagementEvent event, @MessageIdentifier String eventId, @Timestamp Instant storedAt,
			@SequenceNumber Long sequence, MetaData metaData) {
		// Keyed by engagement: one engagement's events stay in order in one partition.
		batch().add(this.envelope.record(this.topic.engagementEvents(), event, eventId, recordedAt(metaData, storedAt),
				sequence, text(metaData.get(EventEnvelope.TRACEPARENT)), text(metaData.get(EventEnvelope.TRACESTATE))));
	}

	/**
	 * When the event was recorded: when this store took it in, unless it is history an
	 * admin imported with the time it was first recorded elsewhere
	 * ({@link EngagementCommands#RECORDED_AT}); metadata that is not such a time is not
	 * trusted, and the store's time stands.
	 */
	static Instant recordedAt(MetaData metaData, Instant storedAt) {
		return EngagementCommands.recordedAt(metaData.get(EngagementCommands.RECORDED_AT), storedAt);
	}

	private static String text(Object value) {
		return (value instanceof String text && !text.isBlank()) ? text : null;
	}

	/**
	 * The records of the current batch; the first call of a batch arranges for them to be
	 * published when the batch prepares to commit, before its token is committed.
	 */
	private List<ProducerRecord<String, byte[]>> batch() {
		UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
		return batch.getOrComputeResource(BATCH, (key) -> {
			List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
			batch.onPrepareCommit((unitOfWork) -> publish(records));
			return records;
		});
	}

	private void publish(List<ProducerRecord<String, byte[]>> records) {
		this.kafka.executeInTransaction((operations) -> {
			for (ProducerRecord<String, byte[]> record : records) {
				operations.send(record);
			}
			return null;
		});
	}

}
