package dev.trustledger.query.generation;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;
import org.bson.Document;

/**
 * The scoring models this service knows: the one shipped with the scoring library, and
 * candidate models uploaded by analysts as YAML, kept in the {@code scoring_models}
 * collection under their version.
 */
public class ScoringModels {

	static final String COLLECTION = "scoring_models";

	private final ScoringEngine shipped;

	private final MongoCollection<Document> models;

	private final Map<String, ScoringEngine> engines = new ConcurrentHashMap<>();

	public ScoringModels(ScoringEngine shipped, MongoCollection<Document> models) {
		this.shipped = shipped;
		this.models = models;
		this.engines.put(shipped.model().version(), shipped);
	}

	/** The version of the model shipped with this build. */
	public String shippedVersion() {
		return this.shipped.model().version();
	}

	/**
	 * Reads a candidate; the YAML's {@code version} names it.
	 * @throws IllegalArgumentException if the YAML is not a complete model
	 */
	public static ScoringModel parse(String yaml) {
		return ScoringModel.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
	}

	/** Keeps a candidate model; a model already used by a generation cannot change. */
	public void save(ScoringModel model, String yaml, java.time.Instant at) {
		this.models.replaceOne(Filters.eq("_id", model.version()),
				new Document("_id", model.version()).append("yaml", yaml).append("savedAt", java.util.Date.from(at)),
				new ReplaceOptions().upsert(true));
		this.engines.put(model.version(), new ScoringEngine(model));
	}

	public boolean exists(String version) {
		return this.engines.containsKey(version) || this.models.find(Filters.eq("_id", version)).first() != null;
	}

	/** The engine for a model, or {@code null} if there is no such model. */
	public ScoringEngine engine(String version) {
		ScoringEngine engine = this.engines.get(version);
		if (engine != null) {
			return engine;
		}
		Document document = this.models.find(Filters.eq("_id", version)).first();
		if (document == null) {
			return null;
		}
		return this.engines.computeIfAbsent(version, (key) -> new ScoringEngine(parse(document.getString("yaml"))));
	}

	/** The YAML of a model, the shipped one included. */
	public String yaml(String version) {
		if (version.equals(shippedVersion())) {
			try (var in = ScoringModel.class.getResourceAsStream(ScoringModel.DEFAULT_RESOURCE)) {
				return new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}
		Document document = this.models.find(Filters.eq("_id", version)).first();
		return (document != null) ? document.getString("yaml") : null;
	}

	/** Every model's version, the shipped one first. */
	public List<String> versions() {
		List<String> versions = new ArrayList<>();
		versions.add(shippedVersion());
		this.models.find().forEach((document) -> {
			if (!versions.contains(document.getString("_id"))) {
				versions.add(document.getString("_id"));
			}
		});
		return versions;
	}

}
