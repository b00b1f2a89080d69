package dev.trustledger.query;

import java.time.Clock;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
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

	/**
	 * Every answer writes and reads decimals with Jackson's fast double writer and parser
	 * (Schubfach and FastDoubleParser): a timeline answer is mostly scores, and the JDK's
	 * own conversion took most of the time of writing one.
	 */
	@Bean
	Jackson2ObjectMapperBuilderCustomizer fastDoubles() {
		return (builder) -> builder.postConfigurer((mapper) -> {
			mapper.getFactory().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());
			mapper.getFactory().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
		});
	}

}
