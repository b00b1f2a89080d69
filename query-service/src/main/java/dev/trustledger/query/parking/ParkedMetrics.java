package dev.trustledger.query.parking;

import dev.trustledger.support.metrics.SampledGauges;

import org.springframework.stereotype.Component;

/**
 * {@code trustledger.projection.parked}: the records the projection parked, waiting for a
 * fix and a retry (or a discard); counted in the background, not by each scrape.
 */
@Component
class ParkedMetrics {

	ParkedMetrics(ParkedRecords parked, SampledGauges gauges) {
		gauges.register("trustledger.projection.parked",
				"Records the projection parked: they wait for a retry or a discard", null, parked::count);
	}

}
