package dev.trustledger.command.publishing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param sendTimeout how long a batch may wait for the broker to acknowledge all its
 * events before the publisher backs off and sends the batch again
 * @param batchSize how many stored events the publisher reads, sends and acknowledges at
 * a time
 */
@ConfigurationProperties("trustledger.publisher")
record PublisherProperties(@DefaultValue("8s") Duration sendTimeout, @DefaultValue("200") int batchSize) {
}
