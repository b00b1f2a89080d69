package dev.trustledger.command.eventstore;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The event store is Axon's JDBC engine on PostgreSQL, wired by Axon's own
 * auto-configuration from the {@code DataSource}; its tables come from Flyway
 * ({@code db/migration}). One thing is set here: how a lost race is recognised.
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

	/** PostgreSQL's unique_violation. */
	static final String UNIQUE_VIOLATION = "23505";

	/**
	 * Two instances appending the same sequence number of one engagement: the second
	 * insert breaks the unique (engagement, sequence) key, and must become Axon's
	 * {@code ConcurrencyException}, which the command gateway retries on the reloaded
	 * engagement. Axon's default resolver goes by vendor error codes, which PostgreSQL's
	 * driver leaves at 0, so it would report a plain storage failure (a 500). This one
	 * reads the SQL state, and only unique violations count: any other broken constraint
	 * is a fault, not a race.
	 */
	@Bean
	PersistenceExceptionResolver persistenceExceptionResolver() {
		return new SQLStateResolver(UNIQUE_VIOLATION);
	}

}
