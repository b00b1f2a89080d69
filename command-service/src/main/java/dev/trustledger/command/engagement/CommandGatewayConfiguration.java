package dev.trustledger.command.engagement;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.trustledger.support.tracing.TraceContexts;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;

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

	/**
	 * Every command carries the trace context of the request that sent it, as metadata
	 * ({@code traceparent}, {@code tracestate}), which the correlation data providers
	 * below copy onto the events it stores: the publisher puts it on the CloudEvent.
	 */
	static MessageDispatchInterceptor<CommandMessage<?>> traceContext(TraceContexts traces) {
		return (messages) -> (index, message) -> {
			Map<String, String> context = traces.current();
			return context.isEmpty() ? message : message.andMetaData(context);
		};
	}

	/** The trace context goes from a command to the events it stores. */
	@Bean
	CorrelationDataProvider traceContextCorrelation() {
		return new SimpleCorrelationDataProvider(TraceContexts.TRACEPARENT, TraceContexts.TRACESTATE);
	}

	/**
	 * When history brought in by an admin's import was first recorded goes from its
	 * command to the events it stores ({@link EngagementCommands#RECORDED_AT}).
	 */
	@Bean
	CorrelationDataProvider recordingTimeCorrelation() {
		return new SimpleCorrelationDataProvider(EngagementCommands.RECORDED_AT);
	}

	/**
	 * Axon's own correlation (the message that caused each one), which a provider of our
	 * own would otherwise replace.
	 */
	@Bean
	CorrelationDataProvider messageOriginProvider() {
		return new MessageOriginProvider();
	}

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
			@Value("${trustledger.commands.retry-interval-ms:25}") int retryInterval, TraceContexts traces) {
		return DefaultCommandGateway.builder()
			.commandBus(commandBus)
			.dispatchInterceptors(traceContext(traces))
			.retryScheduler(IntervalRetryScheduler.builder()
				.retryExecutor(commandRetryExecutor)
				.maxRetryCount(maxRetries)
				.retryInterval(retryInterval)
				.build())
			.build();
	}

}
