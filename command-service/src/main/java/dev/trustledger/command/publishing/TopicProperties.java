package dev.trustledger.command.publishing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where engagement events are published.
 *
 * @param engagementEvents the topic; its retention is unlimited because it is the
 * replayable history
 * @param partitions partitions when the topic is created here
 * @param replicas replication factor when the topic is created here
 * @param sendTimeout how long one publication may wait for the broker's acknowledgement
 * before the publisher backs off and tries again
 */
@ConfigurationProperties("trustledger.kafka")
record TopicProperties(@DefaultValue("trustledger.engagement-events") String engagementEvents,
		@DefaultValue("6") int partitions, @DefaultValue("1") short replicas,
		@DefaultValue("30s") Duration sendTimeout) {
}
