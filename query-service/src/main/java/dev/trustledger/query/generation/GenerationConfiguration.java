package dev.trustledger.query.generation;

import com.mongodb.client.MongoClient;
import dev.trustledger.scoring.ScoringEngine;

import org.springframework.boot.autoconfigure.mongo.MongoProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The scoring models and projection generations of this service's database. */
@Configuration(proxyBeanMethods = false)
class GenerationConfiguration {

	@Bean
	ScoringModels scoringModels(ScoringEngine shipped, MongoClient client, MongoProperties properties) {
		return new ScoringModels(shipped,
				client.getDatabase(properties.getMongoClientDatabase()).getCollection(ScoringModels.COLLECTION));
	}

	@Bean
	Generations generations(MongoClient client, MongoProperties properties, ScoringModels models) {
		return new Generations(client.getDatabase(properties.getMongoClientDatabase()), models);
	}

}
