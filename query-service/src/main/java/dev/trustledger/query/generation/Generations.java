package dev.trustledger.query.generation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.trustledger.scoring.ScoringEngine;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which generation of the projections is current. The pointer is one document, so moving
 * it from one generation to another is one atomic write: a query sees the old generation
 * or the new one, never a mix. Every generation is described in the same collection, and
 * every change of the live scoring model is kept as a marker for the timelines.
 */
public class Generations {

	static final String COLLECTION = "generations";

	static final String MODEL_CHANGES = "model_changes";

	private static final String POINTER = "current";

	private static final Logger log = LoggerFactory.getLogger(Generations.class);

	private final MongoDatabase database;

	private final MongoCollection<Document> generations;

	private final MongoCollection<Document> modelChanges;

	private final ScoringModels models;

	private final AtomicReference<Generation> current = new AtomicReference<>();

	/**
	 * Every change of the live model, oldest first, as stored: read once at start, then
	 * kept by {@link #switchTo}, which alone adds to them (each first read of a timeline
	 * used to ask the store).
	 */
	private volatile List<Document> changes;

	public Generations(MongoDatabase database, ScoringModels models) {
		this.database = database;
		this.generations = database.getCollection(COLLECTION);
		this.modelChanges = database.getCollection(MODEL_CHANGES);
		this.models = models;
		Document pointer = this.generations.find(Filters.eq("_id", POINTER)).first();
		this.current.set(generation(pointer));
		List<Document> stored = new ArrayList<>();
		this.modelChanges.find().sort(Sorts.ascending("_id")).forEach(stored::add);
		recordUnrecordedChange(pointer, stored);
		this.changes = List.copyOf(stored);
		ensureIndexes(this.current.get());
	}

	/**
	 * Creates a generation's indexes without holding anything up: on a replica set an
	 * index build waits for its members, and a failure is logged, not fatal (the queries
	 * that use them still answer, more slowly).
	 */
	private static void ensureIndexes(Generation generation) {
		Thread builder = new Thread(() -> {
			try {
				generation.ensureIndexes();
			}
			catch (RuntimeException ex) {
				log.warn("Indexes of {} not created: {}", generation, ex.toString());
			}
		}, "indexes-" + generation.number());
		builder.setDaemon(true);
		builder.start();
	}

	/** The generation that serves queries and receives live events. */
	public Generation current() {
		return this.current.get();
	}

	public ScoringModels models() {
		return this.models;
	}

	/** The generation a stored pointer names; the first, if there is none. */
	private Generation generation(Document pointer) {
		if (pointer == null) {
			return new Generation(0, this.models.shippedVersion(), this.models.engine(this.models.shippedVersion()),
					this.database);
		}
		return generation(pointer.getInteger("generation"), pointer.getString("model"));
	}

	private Generation generation(int number, String model) {
		ScoringEngine engine = this.models.engine(model);
		if (engine == null) {
			throw new IllegalStateException(
					"Generation " + number + " was built by model " + model + ", which this service does not know");
		}
		return new Generation(number, model, engine, this.database);
	}

	/**
	 * A new, empty generation scored by {@code model}, described as being built for
	 * {@code purpose}.
	 */
	public Generation allocate(String model, String purpose, Instant at) {
		Document sequence = this.generations.findOneAndUpdate(Filters.eq("_id", "sequence"), Updates.inc("last", 1),
				new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
		int number = sequence.getInteger("last");
		Generation generation = generation(number, model);
		generation.drop();
		ensureIndexes(generation);
		this.generations.replaceOne(Filters.eq("_id", id(number)),
				new Document("_id", id(number)).append("number", number)
					.append("model", model)
					.append("purpose", purpose)
					.append("state", "BUILDING")
					.append("createdAt", Date.from(at)),
				new ReplaceOptions().upsert(true));
		return generation;
	}

	/** A generation by number, or {@code null} if it does not exist or was dropped. */
	public Generation get(int number) {
		if (number == current().number()) {
			return current();
		}
		Document descriptor = this.generations.find(Filters.eq("_id", id(number))).first();
		if (descriptor == null || "DROPPED".equals(descriptor.getString("state"))) {
			return null;
		}
		return generation(number, descriptor.getString("model"));
	}

	/** Records a generation's state: BUILDING, READY, CURRENT, PREVIOUS, DROPPED. */
	public void mark(Generation generation, String state) {
		this.generations.updateOne(Filters.eq("_id", id(generation.number())), Updates.set("state", state));
	}

	/**
	 * Makes {@code next} current in one write. A change of model leaves a marker for the
	 * timelines. A generation dropped meanwhile is never made current.
	 */
	public synchronized void switchTo(Generation next, Instant at) {
		Document descriptor = this.generations.find(Filters.eq("_id", id(next.number()))).first();
		if (descriptor != null && "DROPPED".equals(descriptor.getString("state"))) {
			throw new IllegalStateException("Generation " + next.number() + " was dropped while it was built");
		}
		Generation previous = current();
		// made before the pointer moves: nothing may fail between the pointer's write and
		// this instance serving what it points to
		Document change = previous.model().equals(next.model()) ? null : change(this.modelChanges.countDocuments() + 1,
				Date.from(at), previous.model(), next.model(), next.number());
		this.generations.replaceOne(Filters.eq("_id", POINTER),
				new Document("_id", POINTER).append("generation", next.number())
					.append("model", next.model())
					.append("previous", previous.number())
					.append("previousModel", previous.model())
					.append("switchedAt", Date.from(at)),
				new ReplaceOptions().upsert(true));
		if (change != null) {
			// known before the new generation serves: an answer kept under its number
			// must show the change
			List<Document> known = new ArrayList<>(this.changes);
			known.add(change);
			this.changes = List.copyOf(known);
		}
		this.current.set(next);
		mark(next, "CURRENT");
		if (previous.number() != 0 || this.generations.find(Filters.eq("_id", id(0))).first() != null) {
			mark(previous, "PREVIOUS");
		}
		else {
			this.generations.replaceOne(Filters.eq("_id", id(0)),
					new Document("_id", id(0)).append("number", 0)
						.append("model", previous.model())
						.append("purpose", "live")
						.append("state", "PREVIOUS"),
					new ReplaceOptions().upsert(true));
		}
		if (change != null) {
			// stored last, as it was; a service that stopped before this line records it
			// at its next start (recordUnrecordedChange)
			this.modelChanges.insertOne(change);
		}
		log.info("Switched from {} to {}", previous, next);
	}

	private static Document change(long id, Date at, String from, String to, int generation) {
		return new Document("_id", id).append("at", at)
			.append("from", from)
			.append("to", to)
			.append("generation", generation);
	}

	/**
	 * Records the change of model of the last switch if it was not: the service stopped
	 * between moving the pointer and storing the change, or storing it failed.
	 * @param stored the changes stored, in order: the one recorded is added to them
	 */
	private void recordUnrecordedChange(Document pointer, List<Document> stored) {
		if (pointer == null || pointer.getDate("switchedAt") == null) {
			return;
		}
		String from = pointer.getString("previousModel");
		if (from == null && pointer.get("previous") != null) {
			// a pointer written before it named the previous model
			Document previous = this.generations.find(Filters.eq("_id", id(pointer.getInteger("previous")))).first();
			from = (previous != null) ? previous.getString("model") : null;
		}
		String to = pointer.getString("model");
		int generation = pointer.getInteger("generation");
		Date at = pointer.getDate("switchedAt");
		if (from == null || from.equals(to)
				|| stored.stream()
					.anyMatch((change) -> Integer.valueOf(generation).equals(change.getInteger("generation"))
							&& at.equals(change.getDate("at")))) {
			return;
		}
		Document change = change(stored.size() + 1, at, from, to, generation);
		this.modelChanges.insertOne(change);
		stored.add(change);
		log.warn("Recorded the change of model from {} to {} of the switch to generation {} at {}, not recorded then",
				from, to, generation, at.toInstant());
	}

	/**
	 * Drops a generation that is not current.
	 * @return {@code false} if there is no such generation
	 * @throws IllegalStateException if it is the current one
	 */
	public boolean drop(int number) {
		// the pointer as stored, not as this instance last saw it: another instance may
		// have switched since
		Document pointer = this.generations.find(Filters.eq("_id", POINTER)).first();
		int stored = (pointer != null) ? pointer.getInteger("generation") : 0;
		Document descriptor = this.generations.find(Filters.eq("_id", id(number))).first();
		if (number == current().number() || number == stored
				|| (descriptor != null && "CURRENT".equals(descriptor.getString("state")))) {
			throw new IllegalStateException("Generation " + number + " is current");
		}
		Generation generation = get(number);
		if (generation == null) {
			return false;
		}
		generation.drop();
		mark(generation, "DROPPED");
		return true;
	}

	/** Every generation with its state, the current one marked. */
	public List<Document> list() {
		List<Document> list = new ArrayList<>();
		this.generations.find(Filters.regex("_id", "^g[0-9]+$")).sort(Sorts.ascending("number")).forEach(list::add);
		if (list.stream().noneMatch((document) -> document.getInteger("number") == current().number())) {
			list.add(0,
					new Document("_id", id(current().number())).append("number", current().number())
						.append("model", current().model())
						.append("purpose", "live")
						.append("state", "CURRENT"));
		}
		return list;
	}

	/** Every change of the live model, oldest first. */
	public List<Document> modelChanges() {
		return this.changes;
	}

	private static String id(int number) {
		return "g" + number;
	}

}
