package dev.trustledger.command.publishing;

import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;

import org.springframework.beans.factory.annotation.Autowired;

@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class PublishingConfiguration {

	/**
	 * One tracking processor over the event store, reading batches of
	 * {@code trustledger.publisher.batch-size} events. Its token is gap-aware (the JDBC
	 * engine's): an event whose transaction commits after a later one's, from this
	 * instance or another, is still read. The token only advances once the whole batch is
	 * acknowledged: a failure propagates, the processor backs off and retries the batch.
	 * Several instances share one token: whichever holds its claim publishes.
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

}
