package dev.trustledger.query.projection;

import dev.trustledger.query.parking.ParkedRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds the engagement-events topic into the projection, one record at a time, in
 * partition order. A record of an engagement that has a parked record is parked behind it
 * ({@link ParkedRecords}); a record that fails is retried and then parked by the
 * container's error handler (ConsumerConfiguration).
 */
@Component
public class EngagementEventListener {

	/** The listener container's id: a rebuild pauses it for the switch. */
	public static final String ID = "engagement-projection";

	private final CloudEventReader reader;

	private final EngagementProjection projection;

	private final ParkedRecords parked;

	private final ProjectionLag lag;

	EngagementEventListener(CloudEventReader reader, EngagementProjection projection, ParkedRecords parked,
			ProjectionLag lag) {
		this.reader = reader;
		this.projection = projection;
		this.parked = parked;
		this.lag = lag;
	}

	@KafkaListener(id = ID, idIsGroup = false, topics = "${trustledger.kafka.engagement-events}")
	void on(ConsumerRecord<String, byte[]> record) {
		if (this.parked.holds(record.key())) {
			this.parked.park(record, "waiting behind an earlier parked record of engagement " + record.key());
			return;
		}
		RecordedEvent recorded = this.reader.read(record);
		this.lag.apply().record(() -> this.projection.apply(recorded));
		this.lag.applied(record.partition(), record.timestamp());
	}

}
