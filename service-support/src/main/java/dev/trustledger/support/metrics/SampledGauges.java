package dev.trustledger.support.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges whose value needs a store (a count, a query): measured in the background every
 * {@code interval}, and read by a scrape from memory. A scrape then never waits for a
 * store, and never times out while one is away: the gauge shows NaN after a failed
 * measurement instead.
 */
public final class SampledGauges implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SampledGauges.class);

	private final MeterRegistry registry;

	private final ScheduledExecutorService sampler;

	private final Duration interval;

	private final Map<String, Double> values = new ConcurrentHashMap<>();

	public SampledGauges(MeterRegistry registry, Duration interval) {
		this.registry = registry;
		this.interval = interval;
		this.sampler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "metrics-sampler");
			thread.setDaemon(true);
			return thread;
		});
	}

	/** A gauge measured by {@code measure} every interval, from now on. */
	public void register(String name, String description, String baseUnit, DoubleSupplier measure) {
		this.values.put(name, Double.NaN);
		Gauge.Builder<Map<String, Double>> gauge = Gauge
			.builder(name, this.values, (values) -> values.getOrDefault(name, Double.NaN))
			.description(description);
		if (baseUnit != null) {
			gauge.baseUnit(baseUnit);
		}
		gauge.register(this.registry);
		this.sampler.scheduleWithFixedDelay(() -> {
			try {
				this.values.put(name, measure.getAsDouble());
			}
			catch (RuntimeException ex) {
				this.values.put(name, Double.NaN);
				logger.debug("Gauge {} not measured: {}", name, ex.toString());
			}
		}, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		this.sampler.shutdownNow();
	}

}
