package dev.trustledger.query.projection;

import java.util.Collection;
import java.util.Map;

import dev.trustledger.query.parking.ParkedRecords;
import dev.trustledger.support.tracing.TraceContexts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * Feeds the engagement-events topic into the projection, one record at a time, in
 * partition order: {@code trustledger.projection.concurrency} consumers (2 by default),
 * each with its share of the partitions, so that one waiting on the store does not hold
 * the others; an engagement's records are all on one partition. A record of an engagement
 * that has a parked record is parked behind it ({@link ParkedRecords}); a record that
 * fails is retried and then parked by the container's error handler
 * (ConsumerConfiguration).
 */
@Component
public class EngagementEventListener implements ConsumerSeekAware {

	/** The listener container's id: a rebuild pauses it for the switch. */
	public static final String ID = "engagement-projection";

	private static final Logger logger = LoggerFactory.getLogger(EngagementEventListener.class);

	private final CloudEventReader reader;

	private final EngagementProjection projection;

	private final ParkedRecords parked;

	private final ProjectionLag lag;

	private final TraceContexts traces;

	EngagementEventListener(CloudEventReader reader, EngagementProjection projection, ParkedRecords parked,
			ProjectionLag lag, TraceContexts traces) {
		this.reader = reader;
		this.projection = projection;
		this.parked = parked;
		this.lag = lag;
		this.traces = traces;
	}

	/**
	 * Partitions assigned anew: what the lag knew of their polled records holds no more.
	 */
	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		this.lag.forget(assignments.keySet().stream().map(TopicPartition::partition).toList());
	}

	/** Partitions revoked (or lost): their records no longer wait here. */
	@Override
	public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
		this.lag.forget(partitions.stream().map(TopicPartition::partition).toList());
	}

	@KafkaListener(id = ID, idIsGroup = false, topics = "${trustledger.kafka.engagement-events}",
			concurrency = "${trustledger.projection.concurrency:2}", properties = PolledRecords.PROPERTY)
	void on(ConsumerRecord<String, byte[]> record) {
		if (this.parked.holds(record.key())) {
			this.parked.park(record, "waiting behind an earlier parked record of engagement " + record.key());
			this.lag.settled(record.partition(), record.offset());
			return;
		}
		RecordedEvent recorded = this.reader.read(record);
		Map<String, String> trace = this.reader.traceContext(record);
		Runnable project = () -> {
			this.lag.apply().record(() -> this.projection.apply(recorded));
			logger.debug("Projected event {} #{} of engagement {} ({})", recorded.eventId(), recorded.sequence(),
					recorded.engagementId(), recorded.type());
		};
		String traceparent = trace.get(TraceContexts.TRACEPARENT);
		if (traceparent != null) {
			// in the trace of the request that recorded the event: the alerts it raises,
			// and their webhook deliveries, continue it
			this.traces.inSpan("project " + recorded.type(), traceparent, trace.get(TraceContexts.TRACESTATE), project);
		}
		else {
			// recorded outside any trace (an import of old history, a test): nothing to
			// continue, and no span to pay for
			project.run();
		}
		this.lag.applied(record.partition(), record.offset(), record.timestamp());
	}

}
