package dev.trustledger.command;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.util.IdGenerator;
import org.springframework.util.JdkIdGenerator;

/**
 * Records what happens in client engagements and publishes every stored fact to Kafka.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CommandServiceApplication {

	public static void main(String[] args) {
		// Axon's update checker calls home and writes under the home directory: off
		// unless asked for.
		if (System.getProperty("axoniq.update-checker.disabled") == null
				&& System.getenv("AXONIQ_UPDATE_CHECKER_DISABLED") == null) {
			System.setProperty("axoniq.update-checker.disabled", "true");
		}
		SpringApplication.run(CommandServiceApplication.class, args);
	}

	/** Ids for engagements opened without one; the caller usually supplies its own. */
	@Bean
	IdGenerator idGenerator() {
		return new JdkIdGenerator();
	}

	/**
	 * The one source of "now" on the command side; tests replace it with a fixed clock.
	 */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
