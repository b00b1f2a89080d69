package dev.trustledger.query.projection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.trustledger.support.metrics.SampledGauges;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * How far the projection is behind the engagement-events topic, in this instance, as
 * gauges: {@code trustledger.projection.lag.events}, the records on its partitions it has
 * not applied yet: those the consumers have not polled (the consumer's own
 * {@code records-lag}, which skips the transaction markers the publisher writes) and
 * those a poll handed out that are not applied yet ({@link PolledRecords}: a poll holds
 * up to 500, and the consumer's lag no longer counts them); per partition,
 * {@code trustledger.projection.partition.lag} with a {@code partition} tag. And
 * {@code trustledger.projection.lag.seconds}, for a partition that lags, how long its
 * oldest waiting record has waited since it was published: the oldest polled and not
 * applied, or, when every polled one is, the time since the last record it applied was
 * published (an upper bound of how long the oldest unpolled record has waited), the
 * largest over the partitions; a record being applied, however long its retries take (the
 * store away), is polled and not applied, so it counts as waiting, with its age. Both are
 * 0 when caught up, and measured in the background with the other sampled gauges
 * ({@link SampledGauges}). The time each record takes to apply is the timer
 * {@code trustledger.projection.apply}.
 */
@Component
public class ProjectionLag {

	private final KafkaListenerEndpointRegistry listeners;

	private final Clock clock;

	private final Timer apply;

	/** The publish time of the last record applied, per partition. */
	private final Map<Integer, Long> lastApplied = new ConcurrentHashMap<>();

	/** What the last poll handed out, per partition. */
	private final Map<Integer, Polled> polled = new ConcurrentHashMap<>();

	/**
	 * Records a poll handed out of one partition, in order: their offsets, and their
	 * publish times.
	 */
	private record Polled(long[] offsets, long[] timestamps) {
	}

	/** The offset of the last record applied or parked, per partition. */
	private final Map<Integer, Long> settled = new ConcurrentHashMap<>();

	/** Since when a partition with nothing applied here has lagged. */
	private final Map<Integer, Instant> laggingSince = new ConcurrentHashMap<>();

	private volatile Reading last = new Reading(0, 0);

	private final MeterRegistry registry;

	private final Map<Integer, java.util.concurrent.atomic.AtomicLong> partitions = new ConcurrentHashMap<>();

	ProjectionLag(KafkaListenerEndpointRegistry listeners, MeterRegistry registry, SampledGauges gauges) {
		this.listeners = listeners;
		this.registry = registry;
		this.clock = Clock.systemUTC();
		this.apply = Timer.builder("trustledger.projection.apply")
			.description("Time to apply one engagement event to the projections")
			.register(registry);
		gauges.register("trustledger.projection.lag.events",
				"Records of the engagement-events topic this instance has not projected yet", null, () -> {
					this.last = measure(this.clock.instant());
					return this.last.events();
				});
		gauges.register("trustledger.projection.lag.seconds",
				"For a partition that lags, how long its oldest waiting record has waited since it was published",
				"seconds", () -> this.last.seconds());
	}

	Timer apply() {
		return this.apply;
	}

	/**
	 * A poll handed out these records of a partition, in order (their offsets and publish
	 * times): they wait until each is applied or parked, though the consumer's lag no
	 * longer counts them.
	 */
	void polled(int partition, long[] offsets, long[] timestamps) {
		this.polled.put(partition, new Polled(offsets, timestamps));
	}

	/**
	 * The partitions were revoked, lost or (newly) assigned: what this instance knew of
	 * their polled records holds no more. A partition revoked while its records were
	 * retried would otherwise count them as waiting here for good.
	 */
	void forget(java.util.Collection<Integer> partitions) {
		for (Integer partition : partitions) {
			this.polled.remove(partition);
			this.settled.remove(partition);
			this.laggingSince.remove(partition);
		}
	}

	/**
	 * The record at {@code offset} was given up (parked, or parked behind an earlier
	 * one): nothing waits on it any more.
	 */
	void settled(int partition, long offset) {
		this.settled.put(partition, offset);
	}

	/**
	 * Where the first record the last poll of a partition handed out and that is not
	 * settled is.
	 */
	private int firstUnsettled(int partition, Polled polled) {
		Long last = this.settled.get(partition);
		if (last == null) {
			return 0;
		}
		int at = java.util.Arrays.binarySearch(polled.offsets(), last);
		return (at >= 0) ? at + 1 : -at - 1;
	}

	/**
	 * The records of a partition this instance has not settled: those the consumer has
	 * not polled ({@code consumerLag}, its own {@code records-lag}), and those it polled
	 * and has not applied or parked yet.
	 */
	long waiting(int partition, double consumerLag) {
		Polled polled = this.polled.get(partition);
		long unsettled = (polled != null) ? polled.offsets().length - firstUnsettled(partition, polled) : 0;
		return Math.round(Math.max(0, consumerLag)) + unsettled;
	}

	/**
	 * The publish time of the oldest record of a partition polled here and not settled,
	 * or {@code null} if there is none.
	 */
	Long oldestUnsettled(int partition) {
		Polled polled = this.polled.get(partition);
		if (polled == null) {
			return null;
		}
		int first = firstUnsettled(partition, polled);
		return (first < polled.offsets().length) ? polled.timestamps()[first] : null;
	}

	/**
	 * {@code trustledger.projection.partition.lag{partition}}: the records of one
	 * partition this instance reads that it has not settled ({@link #waiting}),
	 * registered when the partition is first seen.
	 */
	private java.util.concurrent.atomic.AtomicLong partitionGauge(int partition) {
		return this.partitions.computeIfAbsent(partition, (number) -> {
			java.util.concurrent.atomic.AtomicLong lag = new java.util.concurrent.atomic.AtomicLong();
			Gauge.builder("trustledger.projection.partition.lag", lag, java.util.concurrent.atomic.AtomicLong::get)
				.description(
						"Records of one partition of the engagement-events topic this instance has not projected yet")
				.tag("partition", Integer.toString(number))
				.register(this.registry);
			return lag;
		});
	}

	/**
	 * The record at {@code offset} was applied; its Kafka timestamp is when it was
	 * published.
	 */
	void applied(int partition, long offset, long timestamp) {
		this.lastApplied.put(partition, timestamp);
		settled(partition, offset);
	}

	private record Reading(double events, double seconds) {
	}

	private Reading measure(Instant now) {
		MessageListenerContainer container = this.listeners.getListenerContainer(EngagementEventListener.ID);
		if (container == null) {
			return new Reading(0, 0);
		}
		double events = 0;
		double seconds = 0;
		for (Map<MetricName, ? extends Metric> metrics : container.metrics().values()) {
			for (Map.Entry<MetricName, ? extends Metric> metric : metrics.entrySet()) {
				MetricName name = metric.getKey();
				String partition = name.tags().get("partition");
				if (!"records-lag".equals(name.name()) || partition == null
						|| !(metric.getValue().metricValue() instanceof Double value) || value.isNaN()) {
					continue;
				}
				int number = Integer.parseInt(partition);
				// a partition this instance reads
				long waiting = waiting(number, value);
				partitionGauge(number).set(waiting);
				if (waiting == 0) {
					this.laggingSince.remove(number);
					continue;
				}
				events += waiting;
				// the oldest record polled and waiting, if any; else, of those not polled
				// yet, at most the time since the last one applied was published
				Long oldest = oldestUnsettled(number);
				Long applied = (oldest != null) ? oldest : this.lastApplied.get(number);
				Instant since = (applied != null) ? Instant.ofEpochMilli(applied)
						: this.laggingSince.computeIfAbsent(number, (key) -> now);
				seconds = Math.max(seconds, Math.max(0, Duration.between(since, now).toMillis() / 1000.0));
			}
		}
		return new Reading(events, seconds);
	}

}
