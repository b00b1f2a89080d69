package dev.trustledger.command.publishing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param sendTimeout how long one publication may wait for the broker's acknowledgement
 * before the publisher backs off and tries the same event again
 */
@ConfigurationProperties("trustledger.publisher")
record PublisherProperties(@DefaultValue("30s") Duration sendTimeout) {
}
