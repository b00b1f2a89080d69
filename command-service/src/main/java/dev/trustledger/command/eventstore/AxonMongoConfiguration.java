package dev.trustledger.command.eventstore;

import com.mongodb.client.MongoClient;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.mongo.MongoProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's event store and token store in MongoDB (one document per event), in the database
 * named by {@code spring.data.mongodb.uri}. axon-mongo's Boot starter stops at 4.10, so
 * the three beans are wired here.
 */
@Configuration(proxyBeanMethods = false)
class AxonMongoConfiguration {

	@Bean
	MongoTemplate axonMongoTemplate(MongoClient client, MongoProperties properties) {
		return DefaultMongoTemplate.builder().mongoDatabase(client, properties.getMongoClientDatabase()).build();
	}

	@Bean
	EventStorageEngine eventStorageEngine(MongoTemplate axonMongoTemplate,
			@Qualifier("eventSerializer") Serializer eventSerializer, Serializer serializer) {
		MongoEventStorageEngine engine = MongoEventStorageEngine.builder()
			.mongoTemplate(axonMongoTemplate)
			.eventSerializer(eventSerializer)
			.snapshotSerializer(serializer)
			.build();
		// The unique (aggregate, sequence) index is what turns a concurrent append into a
		// ConcurrencyException.
		engine.ensureIndexes();
		return engine;
	}

	@Bean
	TokenStore tokenStore(MongoTemplate axonMongoTemplate, Serializer serializer) {
		return MongoTokenStore.builder().mongoTemplate(axonMongoTemplate).serializer(serializer).build();
	}

}
