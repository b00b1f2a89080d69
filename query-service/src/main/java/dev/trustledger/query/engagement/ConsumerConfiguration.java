package dev.trustledger.query.engagement;

import dev.trustledger.support.EngagementEventsTopic;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class ConsumerConfiguration {

	private static final Logger log = LoggerFactory.getLogger(ConsumerConfiguration.class);

	/**
	 * A failure to apply an event (MongoDB away, say) is retried with back-off for as
	 * long as it takes, holding the partition so that nothing is skipped. A record that
	 * cannot be read at all is no transient failure: it is logged with its coordinates
	 * and the partition moves on. It is not lost, the topic keeps every record forever,
	 * so it can be read again by offset once the reader is fixed.
	 */
	/** The alerts topic, kept forever like the history it is derived from. */
	@Bean
	NewTopic alertsTopic(@Value("${trustledger.kafka.alerts:trustledger.alerts}") String name,
			EngagementEventsTopic topic) {
		return TopicBuilder.name(name)
			.partitions(topic.partitions())
			.replicas(topic.replicas())
			.config("retention.ms", "-1")
			.config("retention.bytes", "-1")
			.build();
	}

	@Bean
	DefaultErrorHandler projectionErrorHandler() {
		ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
		backOff.setMaxInterval(30_000);
		DefaultErrorHandler handler = new DefaultErrorHandler(
				(record, ex) -> log.error("Skipping unreadable record {}-{}@{} (key {})", record.topic(),
						record.partition(), record.offset(), record.key(), ex),
				backOff);
		handler.addNotRetryableExceptions(DeserializationException.class, UnreadableEventException.class);
		return handler;
	}

}
