package dev.trustledger.query.parking;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * {@code trustledger.projection.parked}: the records the projection parked, waiting for a
 * fix and a retry (or a discard).
 */
@Component
class ParkedMetrics {

	ParkedMetrics(ParkedRecords parked, MeterRegistry registry) {
		Gauge.builder("trustledger.projection.parked", parked, ParkedRecords::count)
			.description("Records the projection parked: they wait for a retry or a discard")
			.register(registry);
	}

}
