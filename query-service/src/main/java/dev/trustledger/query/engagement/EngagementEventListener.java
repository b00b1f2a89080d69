package dev.trustledger.query.engagement;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds the engagement-events topic into the projection, one record at a time, in
 * partition order.
 */
@Component
class EngagementEventListener {

	/** The listener container's id: a rebuild pauses it for the switch. */
	static final String ID = "engagement-projection";

	private final CloudEventReader reader;

	private final EngagementProjection projection;

	EngagementEventListener(CloudEventReader reader, EngagementProjection projection) {
		this.reader = reader;
		this.projection = projection;
	}

	@KafkaListener(id = ID, idIsGroup = false, topics = "${trustledger.kafka.engagement-events}")
	void on(ConsumerRecord<String, byte[]> record) {
		this.projection.apply(this.reader.read(record));
	}

}
