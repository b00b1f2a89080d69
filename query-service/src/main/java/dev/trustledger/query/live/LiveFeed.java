package dev.trustledger.query.live;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.query.projection.CloudEventReader;
import dev.trustledger.query.projection.EngagementEventSeen;
import dev.trustledger.query.projection.LatestSequences;
import dev.trustledger.query.projection.RecordedEvent;
import dev.trustledger.support.EngagementEventsTopic;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * What happens now, for browsers: every engagement event and trust alert as it reaches
 * Kafka, pushed to every open {@code GET /api/live} stream as server-sent events.
 * <p>
 * It reads both topics from their live end with a consumer of its own, outside any
 * consumer group, so every instance sees every partition, however the projection's
 * partitions are spread. An {@code event} message says an event was recorded; the page
 * reads the engagement once its projection has reached that sequence. An {@code alert}
 * message carries the alert itself. A comment every 20 s keeps idle streams open and
 * finds the ones whose browser has gone. Every engagement event seen is also announced
 * inside this instance ({@link EngagementEventSeen}), streams open or not: the portfolio
 * index reads again what another instance projected. While it watches the topic, answers
 * kept in memory may be given without asking the store ({@link LatestSequences}); on an
 * error it backs off (1 s, doubling to 30 s) and watches anew, every answer read from the
 * store meanwhile.
 */
@Component
class LiveFeed implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(LiveFeed.class);

	private static final Duration POLL = Duration.ofMillis(250);

	private static final Duration HEARTBEAT = Duration.ofSeconds(20);

	/** A browser reconnects by itself when its stream ends. */
	private static final Duration STREAM_LIFETIME = Duration.ofMinutes(30);

	private final KafkaProperties kafkaProperties;

	private final CloudEventReader reader;

	private final ApplicationEventPublisher events;

	private final LatestSequences sequences;

	private final ObjectMapper objectMapper;

	private final String eventsTopic;

	private final String alertsTopic;

	private final List<SseEmitter> streams = new CopyOnWriteArrayList<>();

	private volatile KafkaConsumer<String, byte[]> consumer;

	private volatile Thread thread;

	LiveFeed(KafkaProperties kafkaProperties, CloudEventReader reader, ObjectMapper objectMapper,
			EngagementEventsTopic topic, @Value("${trustledger.kafka.alerts:trustledger.alerts}") String alertsTopic,
			ApplicationEventPublisher events, LatestSequences sequences) {
		this.events = events;
		this.sequences = sequences;
		this.kafkaProperties = kafkaProperties;
		this.reader = reader;
		this.objectMapper = objectMapper;
		this.eventsTopic = topic.engagementEvents();
		this.alertsTopic = alertsTopic;
	}

	/** A new stream; it ends after {@link #STREAM_LIFETIME} or when the feed stops. */
	SseEmitter open() {
		SseEmitter stream = new SseEmitter(STREAM_LIFETIME.toMillis());
		stream.onCompletion(() -> this.streams.remove(stream));
		stream.onTimeout(stream::complete);
		stream.onError((ex) -> this.streams.remove(stream));
		this.streams.add(stream);
		send(stream, SseEmitter.event().name("hello").data(Map.of("streams", this.streams.size())));
		return stream;
	}

	int streams() {
		return this.streams.size();
	}

	@Override
	public void start() {
		Map<String, Object> properties = this.kafkaProperties.buildConsumerProperties(null);
		properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "trustledger-live-feed");
		this.consumer = new KafkaConsumer<>(properties);
		this.thread = new Thread(this::run, "live-feed");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	@Override
	public void stop() {
		KafkaConsumer<String, byte[]> running = this.consumer;
		if (running != null) {
			running.wakeup();
		}
		try {
			if (this.thread != null) {
				this.thread.join(Duration.ofSeconds(10).toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		// open streams would hold the graceful shutdown for its whole grace period
		this.streams.forEach(SseEmitter::complete);
		this.streams.clear();
		this.thread = null;
		this.consumer = null;
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	private void run() {
		KafkaConsumer<String, byte[]> kafka = this.consumer;
		Set<TopicPartition> assigned = new HashSet<>();
		long nextHeartbeat = System.nanoTime() + HEARTBEAT.toNanos();
		long nextAssignment = 0;
		long watched = 0;
		Duration backOff = Duration.ZERO;
		try (kafka) {
			while (true) {
				try {
					if (System.nanoTime() >= nextAssignment) {
						assign(kafka, assigned);
						nextAssignment = System.nanoTime() + Duration.ofSeconds(5).toNanos();
						long events = assigned.stream()
							.filter((partition) -> partition.topic().equals(this.eventsTopic))
							.count();
						if (events > 0 && (events != watched || !this.sequences.watching())) {
							// every event from now on is seen (partitions that are new
							// included): a new watch for the answers kept in memory
							this.sequences.watching(true);
							watched = events;
						}
					}
					if (assigned.isEmpty()) {
						Thread.sleep(POLL.toMillis());
					}
					else {
						for (ConsumerRecord<String, byte[]> record : kafka.poll(POLL)) {
							publish(record);
						}
						this.sequences.polled();
					}
					if (System.nanoTime() >= nextHeartbeat) {
						this.streams.forEach((stream) -> send(stream, SseEmitter.event().comment("still here")));
						nextHeartbeat = System.nanoTime() + HEARTBEAT.toNanos();
					}
					backOff = Duration.ZERO;
				}
				catch (WakeupException ex) {
					throw ex;
				}
				catch (RuntimeException ex) {
					// the broker away, a timeout: events may be missed meanwhile, so
					// every
					// answer is read from the store until the feed watches again
					this.sequences.watching(false);
					backOff = backOff.isZero() ? Duration.ofSeconds(1)
							: Collections.min(List.of(backOff.multipliedBy(2), Duration.ofSeconds(30)));
					logger.warn("The live feed failed ({}); trying again in {} s", ex.toString(), backOff.toSeconds());
					Thread.sleep(backOff.toMillis());
					nextAssignment = 0;
				}
			}
		}
		catch (WakeupException | InterruptedException ex) {
			// stopping
		}
		catch (RuntimeException ex) {
			logger.error("The live feed stopped: browsers get no more live updates until a restart", ex);
		}
		finally {
			// events are no longer seen: every answer is read from the store
			this.sequences.watching(false);
		}
	}

	/**
	 * Takes every partition of both topics from its current end; partitions of a topic
	 * that does not exist yet are picked up once it does.
	 */
	private void assign(KafkaConsumer<String, byte[]> kafka, Set<TopicPartition> assigned) {
		List<TopicPartition> found = new ArrayList<>();
		for (String topic : List.of(this.eventsTopic, this.alertsTopic)) {
			List<PartitionInfo> partitions = kafka.partitionsFor(topic, Duration.ofSeconds(5));
			if (partitions != null) {
				partitions.forEach((partition) -> found.add(new TopicPartition(topic, partition.partition())));
			}
		}
		List<TopicPartition> added = found.stream().filter((partition) -> !assigned.contains(partition)).toList();
		if (!added.isEmpty()) {
			assigned.addAll(added);
			kafka.assign(assigned);
			kafka.seekToEnd(added);
			added.forEach(kafka::position);
		}
	}

	private void publish(ConsumerRecord<String, byte[]> record) {
		if (record.value() == null || (this.streams.isEmpty() && record.topic().equals(this.alertsTopic))) {
			return;
		}
		try {
			String name;
			String id;
			Object data;
			if (record.topic().equals(this.alertsTopic)) {
				name = "alert";
				CloudEvent alert = this.reader.cloudEvent(record);
				id = alert.getId();
				data = this.objectMapper.readTree(alert.getData().toBytes());
			}
			else {
				RecordedEvent recorded = this.reader.read(record);
				this.events.publishEvent(new EngagementEventSeen(recorded.engagementId(), recorded.sequence()));
				if (this.streams.isEmpty()) {
					return;
				}
				Map<String, Object> event = new LinkedHashMap<>();
				event.put("engagementId", recorded.engagementId());
				event.put("sequence", recorded.sequence());
				event.put("eventId", recorded.eventId());
				event.put("type", recorded.type());
				event.put("occurredAt", recorded.known() ? recorded.event().occurredAt().toString() : null);
				event.put("recordedAt", recorded.recordedAt().toString());
				event.put("recordedBy", recorded.recordedBy());
				name = "event";
				id = recorded.eventId();
				data = event;
			}
			// a builder is spent once sent: one per stream
			this.streams.forEach((stream) -> send(stream,
					SseEmitter.event().name(name).id(id).data(data, MediaType.APPLICATION_JSON)));
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Not sent live: unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
					record.offset(), ex.getMessage());
		}
	}

	private void send(SseEmitter stream, SseEmitter.SseEventBuilder message) {
		try {
			stream.send(message);
		}
		catch (IOException | IllegalStateException ex) {
			// the browser has gone
			this.streams.remove(stream);
		}
	}

}
