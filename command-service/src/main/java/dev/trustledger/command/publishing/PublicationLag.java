package dev.trustledger.command.publishing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import javax.sql.DataSource;

import dev.trustledger.support.metrics.SampledGauges;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How far publication is behind the event store, as gauges:
 * {@code trustledger.publication.lag.events} (events stored and not yet published: the
 * distance between the head of the store's global index and the publisher's position, an
 * upper bound, since an append rolled back leaves a gap in the index) and
 * {@code trustledger.publication.lag.seconds} (how long the oldest of them has waited,
 * from its recorded-at), and {@code trustledger.publication.parked} (events parked
 * because they cannot be published). Measured in the background ({@link SampledGauges}),
 * so a scrape never waits for the database. The lag is read from the publisher's
 * processor in this instance; an instance that does not hold the processor's claim
 * reports NaN, since another instance publishes.
 */
@Component
class PublicationLag {

	private final EventProcessingConfiguration processing;

	private final EventStore eventStore;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private volatile Reading last = new Reading(Double.NaN, Double.NaN);

	PublicationLag(EventProcessingConfiguration processing, EventStore eventStore, DataSource dataSource,
			SampledGauges gauges, ParkedEvents parked) {
		this.processing = processing;
		this.eventStore = eventStore;
		this.jdbc = new JdbcTemplate(dataSource);
		this.jdbc.setQueryTimeout(5);
		this.clock = Clock.systemUTC();
		gauges.register("trustledger.publication.lag.events", "Events stored and not yet published to Kafka", null,
				() -> {
					this.last = measure(this.clock.instant());
					return this.last.events();
				});
		gauges.register("trustledger.publication.lag.seconds",
				"How long the oldest event not yet published has waited since it was stored", "seconds",
				() -> this.last.seconds());
		gauges.register("trustledger.publication.parked",
				"Events parked by the publisher: they cannot be published until retried", null, parked::count);
	}

	private record Reading(double events, double seconds) {
	}

	private Reading measure(Instant now) {
		TrackingEventProcessor processor = this.processing
			.eventProcessor(EngagementEventPublisher.PROCESSING_GROUP, TrackingEventProcessor.class)
			.orElse(null);
		if (processor == null || processor.processingStatus().isEmpty()) {
			return new Reading(Double.NaN, Double.NaN);
		}
		long position = Long.MAX_VALUE;
		for (EventTrackerStatus status : processor.processingStatus().values()) {
			OptionalLong at = (status.getTrackingToken() != null) ? status.getTrackingToken().position()
					: OptionalLong.empty();
			position = Math.min(position, at.orElse(-1));
		}
		// an empty store has no head
		TrackingToken head = this.eventStore.createHeadToken();
		long events = Math.max(0, ((head != null) ? head.position().orElse(-1) : -1) - position);
		if (events == 0) {
			return new Reading(0, 0);
		}
		String oldest = this.jdbc.query(
				"SELECT timestamp FROM domainevententry WHERE globalindex > ? ORDER BY globalindex LIMIT 1",
				(rows) -> rows.next() ? rows.getString(1) : null, position);
		double seconds = (oldest != null)
				? Math.max(0, Duration.between(Instant.parse(oldest), now).toMillis() / 1000.0) : 0;
		return new Reading(events, seconds);
	}

}
