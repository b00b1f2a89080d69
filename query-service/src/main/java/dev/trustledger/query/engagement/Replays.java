package dev.trustledger.query.engagement;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.mongo.MongoProperties;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Starts, follows and cancels replays, one at a time per database: a lock document makes
 * a second start a conflict. Each replay runs on its own thread; its progress is kept in
 * memory while it runs and in the {@code replays} collection once it ends. A replay cut
 * short by a restart is marked failed and its generation dropped when the service comes
 * back.
 */
@Component
class Replays {

	static final String COLLECTION = "replays";

	private static final String LOCK = "running";

	private static final Logger log = LoggerFactory.getLogger(Replays.class);

	private final Generations generations;

	private final EngagementProjection projection;

	private final CloudEventReader reader;

	private final ParkedRecords parked;

	private final ConsumerFactory<?, ?> consumerFactory;

	private final KafkaListenerEndpointRegistry listeners;

	private final MongoCollection<Document> replays;

	private final Clock clock;

	private final String topic;

	private final Map<Integer, Replay> running = new ConcurrentHashMap<>();

	private final ExecutorService worker = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "replay");
		thread.setDaemon(true);
		return thread;
	});

	Replays(Generations generations, EngagementProjection projection, CloudEventReader reader, ParkedRecords parked,
			ConsumerFactory<?, ?> consumerFactory, KafkaListenerEndpointRegistry listeners, MongoClient client,
			MongoProperties properties, Clock clock, @Value("${trustledger.kafka.engagement-events}") String topic) {
		this.generations = generations;
		this.projection = projection;
		this.reader = reader;
		this.parked = parked;
		this.consumerFactory = consumerFactory;
		this.listeners = listeners;
		this.replays = client.getDatabase(properties.getMongoClientDatabase()).getCollection(COLLECTION);
		this.clock = clock;
		this.topic = topic;
		recoverInterrupted();
	}

	/**
	 * Starts a replay.
	 * @throws ReplayConflictException if one is running
	 */
	Replay start(String kind, String model, Set<String> engagementIds) {
		try {
			this.replays.insertOne(new Document("_id", LOCK).append("since", Date.from(this.clock.instant())));
		}
		catch (MongoWriteException ex) {
			if (ex.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
				Document lock = this.replays.find(Filters.eq("_id", LOCK)).first();
				throw new ReplayConflictException((lock != null) ? lock.getString("replay") : null);
			}
			throw ex;
		}
		try {
			Generation generation = this.generations.allocate(model, kind.toLowerCase(java.util.Locale.ROOT),
					this.clock.instant());
			Replay replay = new Replay(generation.number(), kind, model, engagementIds, this.clock.instant());
			this.replays.updateOne(Filters.eq("_id", LOCK),
					new Document("$set", new Document("replay", String.valueOf(replay.id()))));
			this.running.put(replay.id(), replay);
			persist(replay);
			this.worker.submit(() -> run(replay, generation));
			return replay;
		}
		catch (RuntimeException ex) {
			this.replays.deleteOne(Filters.eq("_id", LOCK));
			throw ex;
		}
	}

	private void run(Replay replay, Generation generation) {
		try {
			new Rebuild(replay, generation, this.generations, this.projection, this.reader, this.parked, this::consumer,
					this.topic, this.listeners.getListenerContainer(EngagementEventListener.ID), this.clock)
				.run();
			if (!replay.switchesWhenCaughtUp()) {
				this.generations.mark(generation, "READY");
			}
			replay.finish(Replay.Phase.DONE, null, this.clock.instant());
			log.info("Replay {} done: {}", replay.id(), replay.view(this.clock.instant()));
		}
		catch (CancellationException ex) {
			generation.drop();
			this.generations.mark(generation, "DROPPED");
			replay.finish(Replay.Phase.CANCELLED, null, this.clock.instant());
			log.info("Replay {} cancelled; {} dropped", replay.id(), generation);
		}
		catch (RuntimeException ex) {
			log.error("Replay {} failed; {} dropped", replay.id(), generation, ex);
			generation.drop();
			this.generations.mark(generation, "DROPPED");
			replay.finish(Replay.Phase.FAILED, ex.getMessage(), this.clock.instant());
		}
		finally {
			persist(replay);
			this.running.remove(replay.id());
			this.replays.deleteOne(Filters.eq("_id", LOCK));
		}
	}

	@SuppressWarnings("unchecked")
	private Consumer<String, byte[]> consumer() {
		Properties overrides = new Properties();
		overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
		overrides.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 * 1024 * 1024));
		overrides.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));
		overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		return (Consumer<String, byte[]>) this.consumerFactory.createConsumer("trustledger-replays", "replay", null,
				overrides);
	}

	/** A replay's progress, or {@code null} if there is no such replay. */
	Map<String, Object> view(int id) {
		Replay replay = this.running.get(id);
		if (replay != null) {
			return replay.view(this.clock.instant());
		}
		Document document = this.replays.find(Filters.eq("_id", String.valueOf(id))).first();
		if (document == null) {
			return null;
		}
		document.remove("_id");
		return document;
	}

	/** Every replay, the latest first. */
	List<Map<String, Object>> list() {
		List<Map<String, Object>> list = new ArrayList<>();
		this.running.values().forEach((replay) -> list.add(replay.view(this.clock.instant())));
		this.replays.find(Filters.ne("_id", LOCK)).sort(Sorts.descending("generation")).forEach((document) -> {
			if (!this.running.containsKey(document.getInteger("generation"))) {
				document.remove("_id");
				list.add(document);
			}
		});
		return list;
	}

	/**
	 * Asks a running replay to stop; it drops its generation.
	 * @return {@code false} if it is not running
	 */
	boolean cancel(int id) {
		Replay replay = this.running.get(id);
		if (replay == null || replay.phase().finished()) {
			return false;
		}
		replay.requestCancel();
		return true;
	}

	/** The latest replay of a kind and model that finished, if any. */
	Document latestDone(String kind, String model) {
		return this.replays
			.find(Filters.and(Filters.eq("kind", kind), Filters.eq("model", model),
					Filters.eq("phase", Replay.Phase.DONE.name())))
			.sort(Sorts.descending("generation"))
			.first();
	}

	private void persist(Replay replay) {
		Document document = new Document(replay.view(this.clock.instant()));
		document.put("_id", String.valueOf(replay.id()));
		this.replays.replaceOne(Filters.eq("_id", String.valueOf(replay.id())), document,
				new ReplaceOptions().upsert(true));
	}

	private void recoverInterrupted() {
		for (Document document : this.replays.find(Filters.ne("_id", LOCK))) {
			String phase = document.getString("phase");
			if (phase != null && !Replay.Phase.valueOf(phase).finished()) {
				int number = document.getInteger("generation");
				if (number != this.generations.current().number()) {
					this.generations.drop(number);
				}
				this.replays.updateOne(Filters.eq("_id", document.get("_id")),
						new Document("$set", new Document("phase", Replay.Phase.FAILED.name()).append("error",
								"Interrupted by a restart of the query service")));
				log.warn("Replay {} was interrupted by a restart; generation {} dropped", document.get("_id"), number);
			}
		}
		this.replays.deleteOne(Filters.eq("_id", LOCK));
	}

	@PreDestroy
	void stop() {
		this.running.values().forEach(Replay::requestCancel);
		this.worker.shutdown();
	}

	/** A replay is already running. */
	static final class ReplayConflictException extends RuntimeException {

		private final String running;

		ReplayConflictException(String running) {
			super("Replay " + running + " is running");
			this.running = running;
		}

		String running() {
			return this.running;
		}

	}

}
