package dev.trustledger.command.publishing;

import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PublishingConfiguration {

	/**
	 * A tracking processor whose token only advances after the handler returned: an
	 * unacknowledged send propagates, the processor backs off and retries the same event.
	 */
	@Autowired
	void configurePublisher(EventProcessingConfigurer processing) {
		processing.registerTrackingEventProcessor(EngagementEventPublisher.PROCESSING_GROUP)
			.registerListenerInvocationErrorHandler(EngagementEventPublisher.PROCESSING_GROUP,
					(configuration) -> PropagatingErrorHandler.instance());
	}

}
