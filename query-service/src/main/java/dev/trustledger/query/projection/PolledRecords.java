package dev.trustledger.query.projection;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells {@link ProjectionLag} which records each poll of the projection's consumers hands
 * out, before the listener applies them one by one. The consumer's own lag drops as soon
 * as records are polled; a poll holds up to {@code max.poll.records} of them (500), which
 * have not been applied yet. A Kafka consumer interceptor, named in the listener's
 * consumer properties only ({@link #PROPERTY}); Kafka creates it, and it finds the
 * instance's {@link ProjectionLag} in the consumer's configuration under {@link #LAG}
 * (ConsumerConfiguration puts it there).
 */
public class PolledRecords implements ConsumerInterceptor<Object, Object> {

	/** The consumer property that installs this interceptor. */
	static final String PROPERTY = ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG
			+ "=dev.trustledger.query.projection.PolledRecords";

	/**
	 * The key under which the consumer's configuration holds the {@link ProjectionLag}.
	 */
	static final String LAG = "trustledger.projection.lag";

	private ProjectionLag lag;

	/** For Kafka, which creates the interceptor from its class name. */
	public PolledRecords() {
	}

	@Override
	public void configure(Map<String, ?> configs) {
		if (!(configs.get(LAG) instanceof ProjectionLag given)) {
			throw new IllegalStateException("The projection's consumers need " + LAG + " in their configuration");
		}
		this.lag = given;
	}

	@Override
	public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
		for (TopicPartition partition : records.partitions()) {
			java.util.List<ConsumerRecord<Object, Object>> polled = records.records(partition);
			long[] offsets = new long[polled.size()];
			long[] timestamps = new long[polled.size()];
			for (int i = 0; i < offsets.length; i++) {
				offsets[i] = polled.get(i).offset();
				timestamps[i] = polled.get(i).timestamp();
			}
			this.lag.polled(partition.partition(), offsets, timestamps);
		}
		return records;
	}

	@Override
	public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
	}

	@Override
	public void close() {
	}

}
