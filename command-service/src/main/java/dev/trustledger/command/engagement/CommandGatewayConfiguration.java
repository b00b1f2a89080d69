package dev.trustledger.command.engagement;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Two writers on one engagement in different service instances: the event store's unique
 * (engagement, sequence) index lets one append win and the other fail with a
 * {@code ConcurrencyException}; the gateway then sends the losing command again, which
 * reloads the engagement and lands after the winner. Rule violations are non-transient
 * and never retried.
 */
@Configuration(proxyBeanMethods = false)
class CommandGatewayConfiguration {

	@Bean(destroyMethod = "shutdown")
	ScheduledExecutorService commandRetryExecutor() {
		return Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "command-retry");
			thread.setDaemon(true);
			return thread;
		});
	}

	@Bean
	CommandGateway commandGateway(CommandBus commandBus, ScheduledExecutorService commandRetryExecutor,
			@Value("${trustledger.commands.max-retries:16}") int maxRetries,
			@Value("${trustledger.commands.retry-interval-ms:25}") int retryInterval) {
		return DefaultCommandGateway.builder()
			.commandBus(commandBus)
			.retryScheduler(IntervalRetryScheduler.builder()
				.retryExecutor(commandRetryExecutor)
				.maxRetryCount(maxRetries)
				.retryInterval(retryInterval)
				.build())
			.build();
	}

}
