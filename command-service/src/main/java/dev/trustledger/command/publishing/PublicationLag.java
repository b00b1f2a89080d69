package dev.trustledger.command.publishing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How far publication is behind the event store, as gauges:
 * {@code trustledger.publication.lag.events} (events stored and not yet published) and
 * {@code trustledger.publication.lag.seconds} (how long the oldest of them has waited,
 * from its recorded-at), and {@code trustledger.publication.parked} (events parked
 * because they cannot be published). The lag is read from the publisher's processor in
 * this instance; an instance that does not hold the processor's claim reports NaN, since
 * another instance publishes. Each value is read at most once a second, whatever the
 * number of scrapes.
 */
@Component
class PublicationLag {

	private static final Duration FRESH = Duration.ofSeconds(1);

	private final EventProcessingConfiguration processing;

	private final EventStore eventStore;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private volatile Reading last = new Reading(Instant.MIN, Double.NaN, Double.NaN);

	PublicationLag(EventProcessingConfiguration processing, EventStore eventStore, DataSource dataSource,
			MeterRegistry registry, ParkedEvents parked) {
		this.processing = processing;
		this.eventStore = eventStore;
		this.jdbc = new JdbcTemplate(dataSource);
		this.clock = Clock.systemUTC();
		Gauge.builder("trustledger.publication.lag.events", this, (lag) -> lag.read().events())
			.description("Events stored and not yet published to Kafka")
			.register(registry);
		Gauge.builder("trustledger.publication.lag.seconds", this, (lag) -> lag.read().seconds())
			.description("How long the oldest event not yet published has waited since it was stored")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("trustledger.publication.parked", parked, ParkedEvents::count)
			.description("Events parked by the publisher: they cannot be published until retried")
			.register(registry);
	}

	private record Reading(Instant at, double events, double seconds) {
	}

	private Reading read() {
		Reading reading = this.last;
		Instant now = this.clock.instant();
		if (Duration.between(reading.at(), now).compareTo(FRESH) < 0) {
			return reading;
		}
		reading = measure(now);
		this.last = reading;
		return reading;
	}

	private Reading measure(Instant now) {
		TrackingEventProcessor processor = this.processing
			.eventProcessor(EngagementEventPublisher.PROCESSING_GROUP, TrackingEventProcessor.class)
			.orElse(null);
		if (processor == null || processor.processingStatus().isEmpty()) {
			return new Reading(now, Double.NaN, Double.NaN);
		}
		long position = Long.MAX_VALUE;
		for (EventTrackerStatus status : processor.processingStatus().values()) {
			OptionalLong at = (status.getTrackingToken() != null) ? status.getTrackingToken().position()
					: OptionalLong.empty();
			position = Math.min(position, at.orElse(-1));
		}
		OptionalLong head = this.eventStore.createHeadToken().position();
		long events = Math.max(0, head.orElse(-1) - position);
		if (events == 0) {
			return new Reading(now, 0, 0);
		}
		String oldest = this.jdbc.query(
				"SELECT timestamp FROM domainevententry WHERE globalindex > ? ORDER BY globalindex LIMIT 1",
				(rows) -> rows.next() ? rows.getString(1) : null, position);
		double seconds = (oldest != null)
				? Math.max(0, Duration.between(Instant.parse(oldest), now).toMillis() / 1000.0) : 0;
		return new Reading(now, events, seconds);
	}

}
