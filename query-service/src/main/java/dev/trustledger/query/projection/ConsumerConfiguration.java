package dev.trustledger.query.projection;

import java.time.Duration;
import java.util.Map;

import dev.trustledger.query.parking.ParkedRecords;
import dev.trustledger.support.EngagementEventsTopic;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.kafka.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.BackOff;

@Configuration(proxyBeanMethods = false)
class ConsumerConfiguration {

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

	/**
	 * Every consumer of the default factory finds the instance's {@link ProjectionLag} in
	 * its configuration; only the projection's install {@link PolledRecords}, which reads
	 * it.
	 */
	@Bean
	DefaultKafkaConsumerFactoryCustomizer projectionLagForPolledRecords(ProjectionLag lag) {
		return (factory) -> factory.updateConfigs(Map.of(PolledRecords.LAG, lag));
	}

	/**
	 * What happens to a record the projection cannot apply. A record that cannot be read
	 * at all is parked at once: reading it again cannot help. A store being away (MongoDB
	 * down, a timeout, the broker not acknowledging an alert: {@link StoreAway}) is
	 * retried with back-off for as long as it takes, holding the partition so that
	 * nothing is skipped. Any other failure is retried
	 * {@code trustledger.projection.retry.attempts} times with back-off doubling from
	 * {@code trustledger.projection.retry.initial-interval} (6 from 500 ms: about 25 s),
	 * then the record is parked with the reason ({@link ParkedRecords}) and the partition
	 * moves on; its engagement's later records wait behind it. Parking needs the store
	 * too: while it cannot be written, the record is retried.
	 */
	@Bean
	DefaultErrorHandler projectionErrorHandler(ParkedRecords parked, ProjectionLag lag,
			@Value("${trustledger.projection.retry.attempts:6}") int attempts,
			@Value("${trustledger.projection.retry.initial-interval:500ms}") Duration initialInterval) {
		DefaultErrorHandler handler = new DefaultErrorHandler((record, ex) -> {
			@SuppressWarnings("unchecked")
			ConsumerRecord<String, byte[]> bytes = (ConsumerRecord<String, byte[]>) record;
			parked.park(bytes, ParkedRecords.describe(unwrap(ex)));
			lag.settled(record.partition(), record.offset());
		}, bounded(attempts, initialInterval));
		handler.setBackOffFunction((record, ex) -> StoreAway.causes(ex) ? StoreAway.unbounded() : null);
		handler.addNotRetryableExceptions(DeserializationException.class, UnreadableEventException.class);
		return handler;
	}

	private static BackOff bounded(int attempts, Duration initialInterval) {
		ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(attempts);
		backOff.setInitialInterval(initialInterval.toMillis());
		backOff.setMultiplier(2.0);
		backOff.setMaxInterval(10_000);
		return backOff;
	}

	private static Throwable unwrap(Exception ex) {
		return (ex instanceof ListenerExecutionFailedException && ex.getCause() != null) ? ex.getCause() : ex;
	}

}
