package dev.trustledger.command.publishing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.Cause;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;

import org.springframework.stereotype.Component;

/**
 * The events the publisher parked: listed for operators, counted for health, and sent
 * again after a fix. Retrying goes through Axon's dead-letter processor, which hands each
 * parked event of an engagement, in order, to the publisher again: those that are
 * published leave the queue, the first that fails again stays with the rest of its
 * engagement behind it.
 */
@Component
public class ParkedEvents {

	private final EventProcessingConfiguration processing;

	ParkedEvents(EventProcessingConfiguration processing) {
		this.processing = processing;
	}

	/** How many events are parked. */
	public long count() {
		return queue().size();
	}

	/** How many engagements have parked events. */
	public long engagements() {
		return queue().amountOfSequences();
	}

	/**
	 * The parked events, engagement by engagement and in order, at most {@code limit}.
	 */
	public List<Parked> list(int limit) {
		List<Parked> parked = new ArrayList<>();
		for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue().deadLetters()) {
			for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
				if (parked.size() >= limit) {
					return parked;
				}
				parked.add(Parked.of(letter));
			}
		}
		return parked;
	}

	/**
	 * Sends the parked events again, of one engagement or of all.
	 * @param engagementId the engagement, or {@code null} for every one
	 * @return how many left the queue, and how many are still parked
	 */
	public Retried retry(String engagementId) {
		long before = count();
		long sequences = engagements();
		Predicate<DeadLetter<? extends EventMessage<?>>> filter = (letter) -> engagementId == null
				|| engagementId.equals(engagementOf(letter.message()));
		// each call takes the engagement touched longest ago: one call per engagement
		// parked reaches every one of them once
		for (long i = 0; i < sequences; i++) {
			if (!processor().process(filter) && engagementId != null) {
				break;
			}
		}
		long after = count();
		return new Retried(before - after, after);
	}

	private SequencedDeadLetterQueue<EventMessage<?>> queue() {
		return this.processing.deadLetterQueue(EngagementEventPublisher.PROCESSING_GROUP)
			.orElseThrow(() -> new IllegalStateException("The publisher has no dead-letter queue"));
	}

	private SequencedDeadLetterProcessor<EventMessage<?>> processor() {
		return this.processing.sequencedDeadLetterProcessor(EngagementEventPublisher.PROCESSING_GROUP)
			.orElseThrow(() -> new IllegalStateException("The publisher has no dead-letter queue"));
	}

	private static String engagementOf(EventMessage<?> message) {
		return (message instanceof DomainEventMessage<?> domain) ? domain.getAggregateIdentifier() : null;
	}

	/** One parked event, and why it was parked. */
	public record Parked(String engagementId, Long sequence, String eventId, String eventType, Instant recordedAt,
			Instant parkedAt, Instant lastTried, String causeType, String cause) {

		static Parked of(DeadLetter<? extends EventMessage<?>> letter) {
			EventMessage<?> message = letter.message();
			Long sequence = (message instanceof DomainEventMessage<?> domain) ? domain.getSequenceNumber() : null;
			return new Parked(engagementOf(message), sequence, message.getIdentifier(),
					message.getPayloadType().getSimpleName(), message.getTimestamp(), letter.enqueuedAt(),
					letter.lastTouched(), letter.cause().map(Cause::type).orElse(null),
					letter.cause().map(Cause::message).orElse(null));
		}

	}

	/** What a retry did. */
	public record Retried(long published, long stillParked) {
	}

}
