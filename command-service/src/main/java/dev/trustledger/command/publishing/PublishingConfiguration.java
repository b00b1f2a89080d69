package dev.trustledger.command.publishing;

import java.util.Map;

import io.cloudevents.CloudEvent;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class PublishingConfiguration {

	/**
	 * One tracking processor over the event store, reading batches of
	 * {@code trustledger.publisher.batch-size} events. Its token is gap-aware (the JDBC
	 * engine's): an event whose transaction commits after a later one's, from this
	 * instance or another, is still read. The token only advances once the whole batch is
	 * published: a failure propagates, the processor backs off (1 s, doubling up to 60 s)
	 * and retries the batch. Several instances share one token: whichever holds its claim
	 * publishes.
	 */
	@Autowired
	void configurePublisher(EventProcessingConfigurer processing, PublisherProperties properties) {
		processing
			.registerTrackingEventProcessor(EngagementEventPublisher.PROCESSING_GROUP, Configuration::eventStore,
					(configuration) -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
						.andBatchSize(properties.batchSize()))
			.registerListenerInvocationErrorHandler(EngagementEventPublisher.PROCESSING_GROUP,
					(configuration) -> PropagatingErrorHandler.instance());
	}

	/**
	 * A transactional producer for the publisher alone, built from
	 * {@code spring.kafka.producer.*}. It is not Boot's: Boot would also register a Kafka
	 * transaction manager, which would displace the database's as the one Axon uses.
	 */
	@Bean
	DefaultKafkaProducerFactory<String, CloudEvent> publisherProducerFactory(KafkaProperties kafka,
			PublisherProperties properties) {
		Map<String, Object> config = kafka.buildProducerProperties(null);
		DefaultKafkaProducerFactory<String, CloudEvent> factory = new DefaultKafkaProducerFactory<>(config);
		factory.setTransactionIdPrefix(properties.transactionIdPrefix());
		return factory;
	}

	@Bean
	KafkaTemplate<String, CloudEvent> publisherKafkaTemplate(
			DefaultKafkaProducerFactory<String, CloudEvent> publisherProducerFactory) {
		return new KafkaTemplate<>(publisherProducerFactory);
	}

}
