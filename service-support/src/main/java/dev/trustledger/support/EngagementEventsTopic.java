package dev.trustledger.support;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kafka topic of engagement events, shared by the service that writes it and the one
 * that reads it.
 *
 * @param engagementEvents the topic name; its retention is unlimited because it is the
 * replayable history
 * @param partitions partitions when the topic is created by a service
 * @param replicas replication factor when the topic is created by a service
 */
@ConfigurationProperties("trustledger.kafka")
public record EngagementEventsTopic(@DefaultValue("trustledger.engagement-events") String engagementEvents,
		@DefaultValue("6") int partitions, @DefaultValue("1") short replicas) {
}
