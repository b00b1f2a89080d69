package dev.trustledger.query;

import java.time.Clock;

import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Folds engagement events from Kafka into MongoDB projections and serves them over HTTP.
 */
@SpringBootApplication
public class QueryServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(QueryServiceApplication.class, args);
	}

	/** The scoring engine with the model shipped in the scoring library. */
	@Bean
	ScoringEngine scoringEngine() {
		return new ScoringEngine(ScoringModel.defaultModel());
	}

	/**
	 * Read-time "now", for overdue promises; projections take their times from the
	 * events.
	 */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
