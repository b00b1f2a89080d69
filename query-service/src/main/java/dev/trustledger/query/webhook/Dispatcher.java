package dev.trustledger.query.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.trustledger.support.metrics.SampledGauges;
import dev.trustledger.support.tracing.TraceContexts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Sends what the queue holds when it is due: every poll interval, at once when an alert
 * was queued, and after each attempt. One delivery per subscription is sent at a time,
 * the longest due first, so that a receiver gets its alerts in order while it answers,
 * and gets nothing more once it has answered 410 Gone. Each delivery is claimed before it
 * is sent, so that instances share the queue without sending an attempt twice, and what
 * its receiver answered decides what follows ({@link RetryPolicy}): delivered, tried
 * again later, or failed, with 410 Gone and a long enough run of failures disabling the
 * subscription. Nothing is kept in memory between polls: a restart goes on from the
 * queue.
 */
final class Dispatcher implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(Dispatcher.class);

	private final Subscriptions subscriptions;

	private final Deliveries deliveries;

	private final Sender sender;

	private final WebhookProperties properties;

	private final RetryPolicy policy;

	private final Clock clock;

	/** The subscriptions with a delivery being sent. */
	private final Set<String> busy = ConcurrentHashMap.newKeySet();

	private volatile ScheduledExecutorService poller;

	private volatile ExecutorService senders;

	private final MeterRegistry registry;

	private final TraceContexts traces;

	Dispatcher(Subscriptions subscriptions, Deliveries deliveries, Sender sender, WebhookProperties properties,
			Clock clock, MeterRegistry registry, SampledGauges gauges, TraceContexts traces) {
		this.traces = traces;
		this.subscriptions = subscriptions;
		this.deliveries = deliveries;
		this.sender = sender;
		this.properties = properties;
		this.policy = properties.retry().policy();
		this.clock = clock;
		this.registry = registry;
		gauges.register("trustledger.webhook.pending", "Webhook deliveries queued or waiting for their next attempt",
				null, deliveries::pending);
	}

	/**
	 * {@code trustledger.webhook.attempts}: attempts by what followed them:
	 * {@code delivered}, {@code retry}, {@code failed} (refused or out of retries),
	 * {@code gone} (410).
	 */
	private void count(String outcome) {
		Counter.builder("trustledger.webhook.attempts")
			.description("Webhook delivery attempts, by what followed them")
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

	@Override
	public void start() {
		java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
		this.senders = Executors.newFixedThreadPool(Math.max(1, this.properties.senders()),
				(task) -> daemon(task, "webhook-sender-" + count.incrementAndGet()));
		this.poller = Executors.newSingleThreadScheduledExecutor((task) -> daemon(task, "webhook-poller"));
		long interval = this.properties.pollInterval().toMillis();
		this.poller.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	@Override
	public void stop() {
		ScheduledExecutorService running = this.poller;
		if (running != null) {
			running.shutdownNow();
			this.senders.shutdown();
			try {
				// an attempt under way ends within its timeout; its claim runs out
				// otherwise
				this.senders.awaitTermination(this.properties.requestTimeout().toSeconds() + 1, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.senders.shutdownNow();
		}
		this.poller = null;
	}

	@Override
	public boolean isRunning() {
		return this.poller != null;
	}

	/** Something was queued: read the queue now rather than at the next poll. */
	void wake() {
		ScheduledExecutorService running = this.poller;
		if (running != null && !running.isShutdown()) {
			try {
				running.execute(this::poll);
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				// stopping
			}
		}
	}

	private void poll() {
		try {
			Instant now = this.clock.instant();
			int room = this.properties.senders() - this.busy.size();
			if (room <= 0) {
				return;
			}
			for (Deliveries.Due due : this.deliveries.due(now, room * 8, Set.copyOf(this.busy))) {
				if (room <= 0) {
					break;
				}
				// one delivery at a time per subscription: in order, and nothing more is
				// sent once its receiver has said 410 Gone
				if (this.busy.add(due.subscriptionId())) {
					if (send(due, now)) {
						room--;
					}
				}
			}
		}
		catch (RuntimeException ex) {
			// the store away, say: the next poll tries again
			logger.warn("Webhook queue not read: {}", ex.toString());
		}
	}

	/**
	 * Claims a due delivery and hands it to a sender; {@code false} (and the subscription
	 * free again) when another instance has it or it cannot be handed over.
	 */
	private boolean send(Deliveries.Due due, Instant now) {
		boolean handedOver = false;
		try {
			Deliveries.Claim claim = this.deliveries.claim(due.id(), now, this.properties.lease());
			if (claim != null) {
				this.senders.execute(() -> {
					try {
						attempt(claim);
					}
					catch (RuntimeException ex) {
						// the claim runs out and the delivery is tried again
						logger.warn("Webhook delivery {} not completed: {}", due.id(), ex.toString());
					}
					finally {
						this.busy.remove(due.subscriptionId());
						wake();
					}
				});
				handedOver = true;
			}
		}
		finally {
			if (!handedOver) {
				this.busy.remove(due.subscriptionId());
			}
		}
		return handedOver;
	}

	private void attempt(Deliveries.Claim claim) {
		Document claimed = claim.delivery();
		String id = claimed.getString("_id");
		Optional<Subscription> found = this.subscriptions.find(claimed.getString("subscriptionId"));
		Instant now = this.clock.instant();
		if (found.isEmpty()) {
			this.deliveries.finish(claim, null, Deliveries.State.ABANDONED, "the subscription was deleted", now);
			return;
		}
		Subscription subscription = found.get();
		if (!subscription.enabled()) {
			this.deliveries.finish(claim, null, Deliveries.State.ABANDONED,
					"the subscription was disabled: " + subscription.disabledReason(), now);
			return;
		}
		Document trace = claimed.get("trace", new Document());
		// in the trace of the request that recorded the alert's event: the receiver gets
		// its traceparent, and the log line says what came back
		Sender.Result result = this.traces.inSpan("webhook " + subscription.id(),
				trace.getString(TraceContexts.TRACEPARENT), trace.getString(TraceContexts.TRACESTATE), () -> {
					Sender.Result sent = this.sender.send(subscription, claimed.getString("alertId"),
							claimed.getString("body"));
					logger.debug("Webhook delivery {} to {}: {}", id, subscription.id(),
							(sent.status() > 0) ? "HTTP " + sent.status() : sent.error());
					return sent;
				});
		Instant ended = this.clock.instant();
		Date first = claimed.getDate("firstAttemptAt");
		Instant firstAttempt = (first != null) ? first.toInstant() : result.at();
		RetryPolicy.Next next = this.policy.after(result.status(), result.retryAfter(), claimed.getInteger("failed", 0),
				firstAttempt, ended, id);
		if (next instanceof RetryPolicy.Delivered) {
			count("delivered");
			this.deliveries.finish(claim, result.attempt(), Deliveries.State.DELIVERED, null, ended);
			this.subscriptions.succeeded(subscription.id());
		}
		else if (next instanceof RetryPolicy.RetryAt retry) {
			count("retry");
			this.deliveries.retry(claim, result.attempt(), retry.at());
			countFailure(subscription, ended);
		}
		else if (next instanceof RetryPolicy.GiveUp giveUp) {
			count(giveUp.gone() ? "gone" : "failed");
			this.deliveries.finish(claim, result.attempt(), Deliveries.State.FAILED, giveUp.reason(), ended);
			if (giveUp.gone()) {
				disable(subscription, "the receiver answered 410 Gone", ended);
			}
			else {
				countFailure(subscription, ended);
			}
		}
	}

	private void countFailure(Subscription subscription, Instant now) {
		int failures = this.subscriptions.failed(subscription.id());
		if (failures >= this.properties.disableAfterFailures()) {
			disable(subscription, failures + " failed attempts in a row", now);
		}
	}

	private void disable(Subscription subscription, String reason, Instant now) {
		if (this.subscriptions.disable(subscription.id(), reason, now)) {
			logger.warn("Webhook subscription {} disabled: {}", subscription.id(), reason);
		}
		this.deliveries.abandon(subscription.id(), "the subscription was disabled: " + reason, now);
	}

}
