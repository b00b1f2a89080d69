package dev.trustledger.command.publishing;

import org.apache.kafka.clients.admin.NewTopic;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

@Configuration(proxyBeanMethods = false)
class PublishingConfiguration {

	/**
	 * Declared here so that a real cluster gets the same unlimited retention as the
	 * embedded broker.
	 */
	@Bean
	NewTopic engagementEventsTopic(TopicProperties topic) {
		return TopicBuilder.name(topic.engagementEvents())
			.partitions(topic.partitions())
			.replicas(topic.replicas())
			.config("retention.ms", "-1")
			.config("retention.bytes", "-1")
			.build();
	}

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
