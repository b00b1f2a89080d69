package dev.trustledger.command.publishing;

import java.util.Map;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.Decisions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class PublishingConfiguration {

	private static final Logger log = LoggerFactory.getLogger(PublishingConfiguration.class);

	/**
	 * One tracking processor over the event store, reading batches of
	 * {@code trustledger.publisher.batch-size} events. Its token is gap-aware (the JDBC
	 * engine's): an event whose transaction commits after a later one's, from this
	 * instance or another, is still read. The token only advances once the whole batch is
	 * published: a failure to send propagates, the processor backs off (1 s, doubling up
	 * to 60 s) and retries the batch. Several instances share one token: whichever holds
	 * its claim publishes.
	 * <p>
	 * An event the handler cannot turn into a record is parked in Axon's sequenced
	 * dead-letter queue, in the event store's database (table {@code deadletterentry},
	 * written in the batch's transaction), sequenced by engagement: the engagement's
	 * later events are parked behind it until it is retried ({@link ParkedEvents}). The
	 * queue remembers which engagements have nothing parked, so that a healthy event
	 * costs no query.
	 */
	@Autowired
	void configurePublisher(EventProcessingConfigurer processing, PublisherProperties properties,
			ConnectionProvider connections, TransactionManager transactions) {
		String group = EngagementEventPublisher.PROCESSING_GROUP;
		processing
			.registerTrackingEventProcessor(group, Configuration::eventStore,
					(configuration) -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
						.andBatchSize(properties.batchSize()))
			.registerListenerInvocationErrorHandler(group, (configuration) -> PropagatingErrorHandler.instance())
			.registerDeadLetterQueue(group,
					(configuration) -> JdbcSequencedDeadLetterQueue.builder()
						.processingGroup(group)
						.connectionProvider(connections)
						.transactionManager(transactions)
						.genericSerializer(configuration.serializer())
						.eventSerializer(configuration.eventSerializer())
						// bounded only by the database: a full queue would stop
						// publication
						.maxSequences(Integer.MAX_VALUE)
						.maxSequenceSize(Integer.MAX_VALUE)
						.build())
			.registerDeadLetterPolicy(group, (configuration) -> (letter, cause) -> {
				log.warn(
						"Parked event {} of engagement {}: it cannot be published ({}); its engagement's later"
								+ " events wait behind it until it is retried (GET /api/parked)",
						letter.message().getIdentifier(), (letter.message() instanceof DomainEventMessage<?> domain)
								? domain.getAggregateIdentifier() : "?",
						cause.toString());
				return Decisions.enqueue(cause);
			})
			.registerDeadLetteringEventHandlerInvokerConfiguration(group,
					(configuration, invoker) -> invoker.enableSequenceIdentifierCache());
	}

	/**
	 * A transactional producer for the publisher alone, built from
	 * {@code spring.kafka.producer.*}. It is not Boot's: Boot would also register a Kafka
	 * transaction manager, which would displace the database's as the one Axon uses. Its
	 * values are records the publisher has written already ({@link CloudEventEnvelope}).
	 */
	@Bean
	DefaultKafkaProducerFactory<String, byte[]> publisherProducerFactory(KafkaProperties kafka,
			PublisherProperties properties) {
		Map<String, Object> config = kafka.buildProducerProperties(null);
		DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(config,
				new StringSerializer(), new ByteArraySerializer());
		factory.setTransactionIdPrefix(properties.transactionIdPrefix());
		return factory;
	}

	@Bean
	KafkaTemplate<String, byte[]> publisherKafkaTemplate(
			DefaultKafkaProducerFactory<String, byte[]> publisherProducerFactory) {
		return new KafkaTemplate<>(publisherProducerFactory);
	}

}
