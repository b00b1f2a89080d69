package dev.trustledger.support;

import com.mongodb.client.MongoClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration;
import org.springframework.boot.autoconfigure.mongo.MongoProperties;
import org.springframework.context.annotation.Bean;

/**
 * Shared edge beans of the Trust Ledger services, picked up by Spring Boot's
 * auto-configuration.
 */
@AutoConfiguration(after = MongoAutoConfiguration.class)
public class SupportAutoConfiguration {

	@Bean
	@ConditionalOnBean(MongoClient.class)
	MongoPingHealthIndicator mongoHealthIndicator(MongoClient client, MongoProperties properties) {
		return new MongoPingHealthIndicator(client, properties.getMongoClientDatabase());
	}

}
