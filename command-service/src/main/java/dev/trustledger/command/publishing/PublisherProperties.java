package dev.trustledger.command.publishing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param batchSize how many stored events the publisher reads and sends in one Kafka
 * transaction
 * @param transactionIdPrefix the publisher's Kafka transactional id prefix: the same on
 * every instance, so that an instance that lost the publisher's claim but still sends is
 * fenced off by the broker
 */
@ConfigurationProperties("trustledger.publisher")
record PublisherProperties(@DefaultValue("200") int batchSize,
		@DefaultValue("trustledger-publisher-") String transactionIdPrefix) {
}
