package dev.trustledger.support;

import com.mongodb.client.MongoClient;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration;
import org.springframework.boot.autoconfigure.mongo.MongoProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Shared edge beans of the Trust Ledger services, picked up by Spring Boot's
 * auto-configuration.
 */
@AutoConfiguration(after = MongoAutoConfiguration.class)
@EnableConfigurationProperties(EngagementEventsTopic.class)
public class SupportAutoConfiguration {

	@Bean
	@ConditionalOnBean(MongoClient.class)
	MongoPingHealthIndicator mongoHealthIndicator(MongoClient client, MongoProperties properties) {
		return new MongoPingHealthIndicator(client, properties.getMongoClientDatabase());
	}

	/**
	 * Declared by both services, whichever starts first, so that a real cluster gets the
	 * same unlimited retention as the embedded broker (which creates no topic by itself).
	 */
	@Bean
	NewTopic engagementEventsTopic(EngagementEventsTopic topic) {
		return TopicBuilder.name(topic.engagementEvents())
			.partitions(topic.partitions())
			.replicas(topic.replicas())
			.config("retention.ms", "-1")
			.config("retention.bytes", "-1")
			.build();
	}

}
