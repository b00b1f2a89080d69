package dev.trustledger.query.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.trustledger.query.alert.TimeAlerts;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.parking.ParkedRecords;
import dev.trustledger.query.projection.CloudEventReader;
import dev.trustledger.query.projection.EngagementEventListener;
import dev.trustledger.query.projection.EngagementProjection;
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
 * memory while it runs and in the {@code replays} collection once it ends.
 * <p>
 * The lock is a lease: the instance running the replay renews it every quarter of
 * {@code trustledger.replays.lease} (60 s). Only a replay whose lease expired is provably
 * abandoned (its instance stopped or lost the database): then, and only then, a starting
 * instance or a new replay marks it failed and drops its generation. A running replay of
 * another instance is never touched, and its generation cannot be dropped while it is
 * built. An instance that finds its lease taken over stops its replay.
 */
@Component
public class Replays {

	static final String COLLECTION = "replays";

	private static final String LOCK = "running";

	private static final Logger log = LoggerFactory.getLogger(Replays.class);

	private final TimeAlerts timeAlerts;

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

	/** Who holds the lock: this instance, for as long as it runs. */
	private final String instance = UUID.randomUUID().toString();

	private final Duration lease;

	private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "replay-lease");
		thread.setDaemon(true);
		return thread;
	});

	private final ExecutorService worker = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "replay");
		thread.setDaemon(true);
		return thread;
	});

	Replays(Generations generations, EngagementProjection projection, CloudEventReader reader, ParkedRecords parked,
			ConsumerFactory<?, ?> consumerFactory, KafkaListenerEndpointRegistry listeners, MongoClient client,
			MongoProperties properties, Clock clock, @Value("${trustledger.kafka.engagement-events}") String topic,
			@Value("${trustledger.replays.lease:60s}") Duration lease, TimeAlerts timeAlerts) {
		this.timeAlerts = timeAlerts;
		this.generations = generations;
		this.projection = projection;
		this.reader = reader;
		this.parked = parked;
		this.consumerFactory = consumerFactory;
		this.listeners = listeners;
		this.replays = client.getDatabase(properties.getMongoClientDatabase()).getCollection(COLLECTION);
		this.clock = clock;
		this.topic = topic;
		this.lease = lease;
		recoverInterrupted();
		long renewEvery = Math.max(1, lease.toMillis() / 4);
		this.renewer.scheduleWithFixedDelay(this::renewLease, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
	}

	/**
	 * Starts a replay.
	 * @throws ReplayConflictException if one is running
	 */
	public Replay start(String kind, String model, Set<String> engagementIds) {
		Instant now = this.clock.instant();
		try {
			this.replays.insertOne(new Document("_id", LOCK).append("since", Date.from(now))
				.append("owner", this.instance)
				.append("leaseUntil", Date.from(now.plus(this.lease))));
		}
		catch (MongoWriteException ex) {
			if (ex.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw ex;
			}
			// a lock whose lease expired was abandoned: take it over, and clean up after
			// it
			Document abandoned = this.replays.findOneAndUpdate(
					new Document("_id", LOCK).append("leaseUntil", new Document("$lt", Date.from(now))),
					Updates.combine(Updates.set("since", Date.from(now)), Updates.set("owner", this.instance),
							Updates.set("leaseUntil", Date.from(now.plus(this.lease))), Updates.unset("replay")),
					new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
			if (abandoned == null) {
				Document lock = this.replays.find(Filters.eq("_id", LOCK)).first();
				throw new ReplayConflictException((lock != null) ? lock.getString("replay") : null);
			}
			if (abandoned.getString("replay") != null) {
				abandon(this.replays.find(Filters.eq("_id", abandoned.getString("replay"))).first());
			}
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
			releaseLock();
			throw ex;
		}
	}

	/** The replay running on this instance, or {@code null}. */
	Replay runningHere() {
		return this.running.values().stream().filter((replay) -> !replay.phase().finished()).findFirst().orElse(null);
	}

	/**
	 * Whether any replay holds the lock with a valid lease, on this instance or another.
	 */
	public boolean anyRunning() {
		if (this.running.values().stream().anyMatch((replay) -> !replay.phase().finished())) {
			return true;
		}
		Document lock = this.replays.find(Filters.eq("_id", LOCK)).first();
		return lock != null && leaseValid(lock);
	}

	/** Whether a generation is being built by a replay that holds its lease. */
	boolean building(int generation) {
		if (this.running.containsKey(generation)) {
			return true;
		}
		Document lock = this.replays.find(Filters.eq("_id", LOCK)).first();
		return lock != null && String.valueOf(generation).equals(lock.getString("replay")) && leaseValid(lock);
	}

	private boolean leaseValid(Document lock) {
		Date until = lock.getDate("leaseUntil");
		return until != null && until.toInstant().isAfter(this.clock.instant());
	}

	private void renewLease() {
		if (this.running.values().stream().allMatch((replay) -> replay.phase().finished())) {
			return;
		}
		try {
			long renewed = this.replays
				.updateOne(new Document("_id", LOCK).append("owner", this.instance),
						Updates.set("leaseUntil", Date.from(this.clock.instant().plus(this.lease))))
				.getMatchedCount();
			if (renewed == 0) {
				log.error("The replay lease was taken over by another instance; stopping {}", this.running.keySet());
				this.running.values().forEach(Replay::requestCancel);
			}
		}
		catch (RuntimeException ex) {
			// the database is away: the lease runs on; renewed at the next tick or lost
			log.warn("Cannot renew the replay lease", ex);
		}
	}

	private void releaseLock() {
		this.replays.deleteOne(new Document("_id", LOCK).append("owner", this.instance));
	}

	private void run(Replay replay, Generation generation) {
		Replay.Phase outcome = Replay.Phase.DONE;
		String error = null;
		try {
			new Rebuild(replay, generation, this.generations, this.projection, this.reader, this.parked, this::consumer,
					this.topic, this.listeners.getListenerContainer(EngagementEventListener.ID), this.clock,
					this.timeAlerts)
				.run();
			if (!replay.switchesWhenCaughtUp()) {
				this.generations.mark(generation, "READY");
			}
		}
		catch (CancellationException ex) {
			outcome = Replay.Phase.CANCELLED;
			dropUnlessCurrent(generation);
			log.info("Replay {} cancelled; {} dropped", replay.id(), generation);
		}
		catch (RuntimeException ex) {
			log.error("Replay {} failed; {} dropped", replay.id(), generation, ex);
			outcome = Replay.Phase.FAILED;
			error = ex.getMessage();
			dropUnlessCurrent(generation);
		}
		finally {
			// the lock first, so that a replay seen finished holds nothing; each step on
			// its
			// own, so that a failure to record the outcome cannot keep the lock
			try {
				releaseLock();
			}
			catch (RuntimeException ex) {
				log.error("Replay {}: the lock could not be released; it expires with its lease", replay.id(), ex);
			}
			replay.finish(outcome, error, this.clock.instant());
			if (outcome == Replay.Phase.DONE) {
				log.info("Replay {} done: {}", replay.id(), replay.view(this.clock.instant()));
			}
			try {
				persist(replay);
				this.running.remove(replay.id());
			}
			catch (RuntimeException ex) {
				// kept in memory, where this instance answers with its outcome
				log.error("Replay {}: its outcome could not be recorded", replay.id(), ex);
			}
		}
	}

	/** A generation that became current is never dropped, whatever happened after. */
	private void dropUnlessCurrent(Generation generation) {
		try {
			this.generations.drop(generation.number());
		}
		catch (IllegalStateException ex) {
			log.warn("{} is current; kept", generation);
		}
		catch (RuntimeException ex) {
			log.error("{} could not be dropped; drop it with DELETE /api/generations/{}", generation,
					generation.number(), ex);
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
	public Document latestDone(String kind, String model) {
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

	/**
	 * At start-up: a replay left unfinished whose lease expired (or that holds none) was
	 * abandoned; one whose lease is valid is another instance's, running, and left alone.
	 */
	private void recoverInterrupted() {
		Document lock = this.replays.find(Filters.eq("_id", LOCK)).first();
		String held = (lock != null && leaseValid(lock)) ? lock.getString("replay") : null;
		for (Document document : this.replays.find(Filters.ne("_id", LOCK))) {
			String phase = document.getString("phase");
			if (phase != null && !Replay.Phase.valueOf(phase).finished() && !document.get("_id").equals(held)) {
				abandon(document);
			}
		}
		if (lock != null && !leaseValid(lock)) {
			this.replays.deleteOne(new Document("_id", LOCK).append("since", lock.get("since")));
		}
	}

	/** Marks an abandoned replay failed and drops the generation it was building. */
	private void abandon(Document document) {
		if (document == null) {
			return;
		}
		String phase = document.getString("phase");
		if (phase != null && Replay.Phase.valueOf(phase).finished()) {
			return;
		}
		int number = document.getInteger("generation");
		try {
			this.generations.drop(number);
		}
		catch (IllegalStateException ex) {
			// it switched before it was abandoned: its generation is current, and kept
			log.warn("Replay {} was abandoned after its generation {} became current; kept", document.get("_id"),
					number);
		}
		this.replays.updateOne(Filters.eq("_id", document.get("_id")),
				new Document("$set", new Document("phase", Replay.Phase.FAILED.name()).append("error",
						"Abandoned: its instance stopped renewing its lease (a restart, say)")));
		log.warn("Replay {} was abandoned (its lease expired); generation {} dropped", document.get("_id"), number);
	}

	@PreDestroy
	void stop() {
		this.running.values().forEach(Replay::requestCancel);
		this.worker.shutdown();
		this.renewer.shutdownNow();
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
