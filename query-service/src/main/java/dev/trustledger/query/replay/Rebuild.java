package dev.trustledger.query.replay;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import dev.trustledger.query.alert.Alerts;
import dev.trustledger.query.alert.TimeAlerts;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.parking.ParkedRecords;
import dev.trustledger.query.projection.CloudEventReader;
import dev.trustledger.query.projection.EngagementFold;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.query.projection.ProjectionCodec;
import dev.trustledger.query.projection.RecordedEvent;
import dev.trustledger.query.projection.ScoreProjection;
import dev.trustledger.query.projection.UnreadableEventException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The work of one replay. The topic is read partition by partition from its beginning up
 * to the end it had when the replay started; each partition's engagements are folded in
 * memory ({@link EngagementFold}) and written in bulk into the new generation, so memory
 * holds one partition's engagements at a time and no event costs a round trip. A replay
 * that becomes current then catches up through the live projection's own path, pauses the
 * live listener for the last few records, and switches in one write.
 */
final class Rebuild {

	private static final Logger log = LoggerFactory.getLogger(Rebuild.class);

	private static final int BATCH = 500;

	/** A catch-up pass with fewer records than this is followed by the switch. */
	private static final int NEARLY_CAUGHT_UP = 1_000;

	private static final Duration LOG_EVERY = Duration.ofSeconds(5);

	private final Replay replay;

	private final Generation generation;

	private final Generations generations;

	private final EngagementProjection projection;

	private final CloudEventReader reader;

	private final Supplier<Consumer<String, byte[]>> consumers;

	private final String topic;

	private final MessageListenerContainer liveListener;

	private final Clock clock;

	private final ParkedRecords parked;

	/**
	 * Engagements with a record this replay could not apply: their later records are not
	 * applied either, so that none is applied out of order.
	 */
	private final java.util.Set<String> held = new java.util.HashSet<>();

	private long lastLogAt;

	/** Where the time went, in nanoseconds: fetching, reading, folding, writing. */
	private long pollNanos;

	private long readNanos;

	private long foldNanos;

	private volatile long writeNanos;

	/** Documents written by the bulk phase, by collection; only the writer changes it. */
	private final Map<String, Long> documentsWritten = new java.util.concurrent.ConcurrentSkipListMap<>();

	private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors
		.newSingleThreadExecutor((task) -> new Thread(task, "replay-writer"));

	private java.util.concurrent.Future<?> pendingWrite;

	private final TimeAlerts timeAlerts;

	Rebuild(Replay replay, Generation generation, Generations generations, EngagementProjection projection,
			CloudEventReader reader, ParkedRecords parked, Supplier<Consumer<String, byte[]>> consumers, String topic,
			MessageListenerContainer liveListener, Clock clock, TimeAlerts timeAlerts) {
		this.timeAlerts = timeAlerts;
		this.replay = replay;
		this.generation = generation;
		this.generations = generations;
		this.projection = projection;
		this.reader = reader;
		this.parked = parked;
		this.consumers = consumers;
		this.topic = topic;
		this.liveListener = liveListener;
		this.clock = clock;
	}

	void run() {
		try (Consumer<String, byte[]> consumer = this.consumers.get()) {
			List<TopicPartition> partitions = consumer.partitionsFor(this.topic)
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.sorted(Comparator.comparingInt(TopicPartition::partition))
				.toList();
			Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			partitions.forEach((partition) -> this.replay.addTotal(end.get(partition) - begin.get(partition)));
			this.replay.phase(Replay.Phase.REBUILDING);
			log.info("Replay {} ({}, model {}): rebuilding {} from {} events in {} partitions", this.replay.id(),
					this.replay.kind(), this.replay.model(), this.generation,
					this.replay.view(this.clock.instant()).get("eventsTotal"), partitions.size());
			this.lastLogAt = this.clock.millis();
			try {
				for (TopicPartition partition : partitions) {
					if (end.get(partition) > begin.get(partition)) {
						fold(consumer, partition, begin.get(partition), end.get(partition));
					}
				}
				awaitWritten();
			}
			finally {
				this.writer.shutdownNow();
			}
			log.info("Replay {}: bulk phase done ({})", this.replay.id(), breakdown());
			if (!this.replay.switchesWhenCaughtUp()) {
				return;
			}
			this.replay.phase(Replay.Phase.CATCHING_UP);
			Map<TopicPartition, Long> position = new HashMap<>(end);
			while (catchUp(consumer, partitions, position) >= NEARLY_CAUGHT_UP) {
				logProgress(true);
			}
			// what the passing of time raised, as the generation in use has it (without
			// publishing it again), before the live listener waits for the switch
			this.timeAlerts.sweepRebuilt(this.generation);
			this.replay.phase(Replay.Phase.SWITCHING);
			pauseLiveListener();
			try {
				catchUp(consumer, partitions, position);
				this.generations.switchTo(this.generation, this.clock.instant());
			}
			finally {
				if (this.liveListener != null) {
					this.liveListener.resume();
				}
			}
		}
	}

	/** Folds one partition from {@code from} up to {@code to} and writes the result. */
	private void fold(Consumer<String, byte[]> consumer, TopicPartition partition, long from, long to) {
		consumer.assign(List.of(partition));
		consumer.seek(partition, from);
		Map<String, EngagementFold> folds = new HashMap<>();
		while (consumer.position(partition) < to) {
			checkCancelled();
			long read = 0;
			long started = System.nanoTime();
			var records = consumer.poll(Duration.ofMillis(500));
			this.pollNanos += System.nanoTime() - started;
			for (ConsumerRecord<String, byte[]> record : records) {
				if (record.offset() >= to) {
					break;
				}
				read++;
				long reading = System.nanoTime();
				RecordedEvent recorded = read(record);
				long folding = System.nanoTime();
				this.readNanos += folding - reading;
				if (recorded != null && this.replay.includes(recorded.engagementId())
						&& !heldBack(record, recorded.engagementId())) {
					EngagementFold fold = folds.computeIfAbsent(recorded.engagementId(),
							(engagementId) -> new EngagementFold(engagementId, this.generation.engine()));
					try {
						fold.accept(recorded);
					}
					catch (RuntimeException ex) {
						// the fold may be half changed: its engagement is written event
						// by
						// event through the live path instead, up to the last good event
						folds.remove(recorded.engagementId());
						for (RecordedEvent good : fold.arrivals()) {
							this.projection.apply(this.generation, good, false);
						}
						park(record, recorded.engagementId(), ex);
					}
				}
				this.foldNanos += System.nanoTime() - folding;
			}
			this.replay.processed(read);
			logProgress(false);
		}
		checkCancelled();
		// written on the writer thread while the next partition is folded; at most one
		// partition waits to be written, so memory holds two at most
		awaitWritten();
		this.pendingWrite = this.writer.submit(() -> {
			long writing = System.nanoTime();
			write(folds.values());
			this.writeNanos += System.nanoTime() - writing;
		});
	}

	private void awaitWritten() {
		if (this.pendingWrite == null) {
			return;
		}
		try {
			this.pendingWrite.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CancellationException("Interrupted while writing");
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException(ex.getCause());
		}
		finally {
			this.pendingWrite = null;
		}
	}

	/** Where the time of the bulk phase went. */
	String breakdown() {
		return String.format("fetch %.1f s, read %.1f s, fold %.1f s, write %.1f s (alongside) of %,d documents %s",
				this.pollNanos / 1e9, this.readNanos / 1e9, this.foldNanos / 1e9, this.writeNanos / 1e9,
				this.documentsWritten.values().stream().mapToLong(Long::longValue).sum(), this.documentsWritten);
	}

	private void write(Collection<EngagementFold> folds) {
		Batch engagements = new Batch(this.generation.collection(EngagementProjection.COLLECTION));
		Batch history = new Batch(this.generation.collection(ScoreProjection.HISTORY));
		Batch timeline = new Batch(this.generation.collection(ScoreProjection.TIMELINE));
		Batch checkpoints = new Batch(this.generation.collection(ScoreProjection.CHECKPOINTS));
		Batch alerts = new Batch(this.generation.collection(Alerts.COLLECTION));
		Batch alertsByEngagement = new Batch(this.generation.collection(Alerts.BY_ENGAGEMENT));
		for (EngagementFold fold : folds) {
			engagements.add(List.of(fold.engagement()));
			history.add(fold.history());
			timeline.add(fold.timeline());
			checkpoints.add(fold.checkpoints());
			alerts.add(fold.alerts());
			alertsByEngagement.add(fold.alertsByEngagement());
		}
		for (Batch batch : List.of(engagements, history, timeline, checkpoints, alerts, alertsByEngagement)) {
			batch.flush();
			this.documentsWritten.merge(batch.collection.getNamespace().getCollectionName(), batch.written, Long::sum);
		}
	}

	/**
	 * Applies what was recorded since {@code position} through the live projection's
	 * path, publishing the alerts it raises.
	 * @return how many records there were
	 */
	private long catchUp(Consumer<String, byte[]> consumer, List<TopicPartition> partitions,
			Map<TopicPartition, Long> position) {
		Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
		List<TopicPartition> behind = partitions.stream()
			.filter((partition) -> end.get(partition) > position.get(partition))
			.toList();
		if (behind.isEmpty()) {
			return 0;
		}
		consumer.assign(behind);
		long records = 0;
		for (TopicPartition partition : behind) {
			consumer.seek(partition, position.get(partition));
			records += end.get(partition) - position.get(partition);
		}
		this.replay.addTotal(records);
		while (behind.stream().anyMatch((partition) -> consumer.position(partition) < end.get(partition))) {
			checkCancelled();
			for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
				if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
					continue;
				}
				RecordedEvent recorded = read(record);
				if (recorded != null && this.replay.includes(recorded.engagementId())
						&& !heldBack(record, recorded.engagementId())) {
					try {
						this.projection.apply(this.generation, recorded, true);
					}
					catch (RuntimeException ex) {
						park(record, recorded.engagementId(), ex);
					}
				}
				this.replay.processed(1);
			}
		}
		position.putAll(end);
		return records;
	}

	private void pauseLiveListener() {
		if (this.liveListener == null || !this.liveListener.isRunning()) {
			return;
		}
		this.liveListener.pause();
		long deadline = this.clock.millis() + Duration.ofSeconds(60).toMillis();
		while (!this.liveListener.isContainerPaused()) {
			if (this.clock.millis() > deadline) {
				this.liveListener.resume();
				throw new IllegalStateException("The live projection did not pause within 60 s");
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new CancellationException("Interrupted while pausing the live projection");
			}
		}
	}

	private RecordedEvent read(ConsumerRecord<String, byte[]> record) {
		try {
			return this.reader.read(record);
		}
		catch (UnreadableEventException ex) {
			park(record, record.key(), ex);
			return null;
		}
	}

	/**
	 * Whether an earlier record of the engagement could not be applied: this one is
	 * parked.
	 */
	private boolean heldBack(ConsumerRecord<String, byte[]> record, String engagementId) {
		if (!this.held.contains(engagementId)) {
			return false;
		}
		report(record, engagementId, "waiting behind an earlier parked record of engagement " + engagementId);
		return true;
	}

	/**
	 * A record this replay cannot apply is reported, not fatal: its engagement's later
	 * records are held back, every other engagement goes on. A replay that becomes
	 * current parks it for the live projection too, so that a retry after a fix applies
	 * it and those behind it in order.
	 */
	private void park(ConsumerRecord<String, byte[]> record, String engagementId, RuntimeException failure) {
		log.error("Replay {}: cannot apply record {}-{}@{} (engagement {}); parked", this.replay.id(), record.topic(),
				record.partition(), record.offset(), engagementId, failure);
		if (engagementId != null) {
			this.held.add(engagementId);
		}
		report(record, engagementId, ParkedRecords.describe(failure));
	}

	private void report(ConsumerRecord<String, byte[]> record, String engagementId, String reason) {
		this.replay.parked(engagementId, record.partition(), record.offset(), reason);
		if (this.replay.switchesWhenCaughtUp()) {
			this.parked.park(record, "replay " + this.replay.id() + ": " + reason);
		}
	}

	private void checkCancelled() {
		if (this.replay.cancelRequested() || Thread.currentThread().isInterrupted()) {
			throw new CancellationException("Replay " + this.replay.id() + " cancelled");
		}
	}

	private void logProgress(boolean always) {
		long now = this.clock.millis();
		if (always || now - this.lastLogAt >= LOG_EVERY.toMillis()) {
			this.lastLogAt = now;
			Map<String, Object> view = this.replay.view(this.clock.instant());
			log.info("Replay {} {}: {} of {} events, {} events/s, about {} s left", this.replay.id(), view.get("phase"),
					view.get("eventsProcessed"), view.get("eventsTotal"), view.get("eventsPerSecond"),
					view.get("etaSeconds"));
		}
	}

	/** Documents for one collection, inserted {@value #BATCH} at a time. */
	private static final class Batch {

		private final MongoCollection<Document> collection;

		private final List<Document> pending = new ArrayList<>(BATCH);

		private long written;

		Batch(MongoCollection<Document> collection) {
			this.collection = ProjectionCodec.writingWith(collection);
		}

		void add(List<Document> documents) {
			for (Document document : documents) {
				this.pending.add(document);
				if (this.pending.size() == BATCH) {
					flush();
				}
			}
		}

		void flush() {
			if (!this.pending.isEmpty()) {
				this.collection.insertMany(this.pending, new InsertManyOptions().ordered(false));
				this.written += this.pending.size();
				this.pending.clear();
			}
		}

	}

}
