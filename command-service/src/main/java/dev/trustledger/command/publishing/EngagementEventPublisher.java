package dev.trustledger.command.publishing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Forwards every stored engagement event to Kafka. It runs in a tracking event processor
 * over the event store (the store is the outbox), a batch of events at a time: each event
 * of the batch is sent without waiting, and before the batch commits, and with it the
 * processor's token, every send must have been acknowledged by the broker. A failed or
 * unacknowledged send fails the batch: the token stays where it was and the processor
 * backs off and sends the whole batch again. Publication is therefore at least once; the
 * envelope's id and sequence let consumers drop the rare duplicate.
 */
@Component
@ProcessingGroup(EngagementEventPublisher.PROCESSING_GROUP)
class EngagementEventPublisher {

	static final String PROCESSING_GROUP = "kafka-publisher";

	private static final String PENDING_SENDS = EngagementEventPublisher.class.getName() + ".pending";

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
		CompletableFuture<?> sent = this.kafka
			.send(new ProducerRecord<>(this.topic.engagementEvents(), event.engagementId(), cloudEvent));
		if (sent.isCompletedExceptionally()) {
			// the broker is unreachable (no metadata): fail the batch now rather than
			// wait for the same answer on every event of it
			sent.get();
		}
		pendingSends().add(sent);
	}

	/**
	 * The sends of the current batch; the first call of a batch arranges for all of them
	 * to be awaited when the batch prepares to commit, before its token is stored.
	 */
	private List<CompletableFuture<?>> pendingSends() {
		UnitOfWork<?> batch = CurrentUnitOfWork.get();
		return batch.root().getOrComputeResource(PENDING_SENDS, (key) -> {
			List<CompletableFuture<?>> pending = new ArrayList<>();
			batch.root().onPrepareCommit((unitOfWork) -> awaitAcknowledgements(pending));
			return pending;
		});
	}

	private void awaitAcknowledgements(List<CompletableFuture<?>> pending) {
		long deadline = System.nanoTime() + this.properties.sendTimeout().toNanos();
		try {
			for (CompletableFuture<?> sent : pending) {
				sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PublicationFailedException("Interrupted while waiting for the broker", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new PublicationFailedException(
					"The broker did not acknowledge every event of the batch: " + ex.getMessage(), ex);
		}
	}

	/** Some event of a batch was not acknowledged: the batch is sent again. */
	static final class PublicationFailedException extends RuntimeException {

		PublicationFailedException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
