package dev.trustledger.query.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.generation.ScoringModels;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.query.projection.ScoreProjection;
import dev.trustledger.query.replay.ReplayAnswers;
import dev.trustledger.query.replay.ReplayController;
import dev.trustledger.query.replay.Replays;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;
import dev.trustledger.support.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.bson.Document;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What-if scoring: candidate models uploaded as YAML, run over the history into a sandbox
 * generation, compared with the live scores, and promoted to live.
 */
@RestController
class ModelController {

	private static final String YAML = "application/yaml";

	private final ScoringModels models;

	private final Generations generations;

	private final Replays replays;

	private final EngagementProjection projection;

	private final ScoreProjection scores;

	private final ObjectMapper objectMapper;

	private final java.time.Clock clock;

	ModelController(Generations generations, Replays replays, EngagementProjection projection, ScoreProjection scores,
			ObjectMapper objectMapper, java.time.Clock clock) {
		this.models = generations.models();
		this.generations = generations;
		this.replays = replays;
		this.projection = projection;
		this.scores = scores;
		this.objectMapper = objectMapper;
		this.clock = clock;
	}

	@Operation(summary = "The scoring models: the live one and the candidates")
	@GetMapping("/api/models")
	ModelAnswers.ModelList list() {
		return new ModelAnswers.ModelList(this.models.versions(), this.models.shippedVersion(),
				this.generations.current().model());
	}

	@Operation(summary = "A scoring model as its YAML file")
	@ApiResponse(responseCode = "200", description = "The model as YAML",
			content = @Content(mediaType = "application/yaml", schema = @Schema(type = "string")))
	@GetMapping(path = "/api/models/{version}", produces = YAML)
	ResponseEntity<?> model(@PathVariable String version) {
		String yaml = this.models.yaml(version);
		return (yaml != null) ? ResponseEntity.ok().contentType(MediaType.parseMediaType(YAML)).body(yaml)
				: notFound(version);
	}

	@Operation(summary = "Upload a candidate model",
			description = "YAML in the format of the shipped model; its version must equal the path's.")
	@ApiResponse(responseCode = "201", description = "A new candidate was stored",
			content = @Content(schema = @Schema(implementation = ModelAnswers.Saved.class)))
	@ApiResponse(responseCode = "200", description = "The candidate was replaced",
			content = @Content(schema = @Schema(implementation = ModelAnswers.Saved.class)))
	@PutMapping(path = "/api/models/{version}", consumes = { YAML, "application/x-yaml", "text/yaml", "text/plain" })
	ResponseEntity<?> upload(@PathVariable String version, @RequestBody String yaml) {
		ScoringModel model;
		try {
			model = ScoringModels.parse(yaml);
		}
		catch (ScoringModel.InvalidModelException ex) {
			return Problems.answer(HttpStatus.BAD_REQUEST, "invalid-model",
					(ex.parameter() != null) ? ex.parameter() : "body", ex.getMessage());
		}
		if (!model.version().equals(version)) {
			return Problems.answer(HttpStatus.BAD_REQUEST, "invalid-model", "version",
					"The model's version is " + model.version() + "; upload it to /api/models/" + model.version()
							+ " or change its version to " + version + ".");
		}
		if (version.equals(this.models.shippedVersion()) || inUse(version)) {
			return Problems.answer(HttpStatus.CONFLICT, "model-in-use", "version", "Model " + version
					+ " has scored a generation and cannot change; upload the change under a new version.");
		}
		boolean existed = this.models.exists(version);
		this.models.save(model, yaml, this.clock.instant());
		return ResponseEntity.status(existed ? HttpStatus.OK : HttpStatus.CREATED)
			.body(new ModelAnswers.Saved(version, "/api/models/" + version));
	}

	@Operation(summary = "Run a candidate over the history into a sandbox generation",
			description = "Optionally only over some engagements: {\"engagementIds\": [...]}. The live generation is not touched.")
	@ApiResponse(responseCode = "202", description = "The run was started; its progress is at the replay",
			content = @Content(schema = @Schema(implementation = ReplayAnswers.Started.class)))
	@PostMapping("/api/models/{version}/runs")
	ResponseEntity<?> run(@PathVariable String version, @RequestBody(required = false) String body) {
		if (!this.models.exists(version)) {
			return notFound(version);
		}
		Set<String> engagementIds = null;
		if (body != null && !body.isBlank()) {
			try {
				JsonNode ids = this.objectMapper.readTree(body).path("engagementIds");
				if (!ids.isMissingNode()) {
					if (!ids.isArray() || ids.isEmpty()) {
						return Problems.answer(HttpStatus.BAD_REQUEST, "invalid-field", "engagementIds",
								"engagementIds is a non-empty array of engagement ids, or absent for all.");
					}
					engagementIds = new LinkedHashSet<>();
					for (JsonNode id : ids) {
						engagementIds.add(id.asText());
					}
				}
			}
			catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
				return Problems.answer(HttpStatus.BAD_REQUEST, "malformed-json", "body",
						"The body is not JSON: " + ex.getOriginalMessage());
			}
		}
		return ReplayController.accepted(this.replays.start("CANDIDATE", version, engagementIds).id());
	}

	@Operation(summary = "Promote a candidate to live",
			description = "Rebuilds every projection under the candidate; when caught up it becomes current and the model change is marked on every timeline.")
	@ApiResponse(responseCode = "202", description = "The promotion was started; its progress is at the replay",
			content = @Content(schema = @Schema(implementation = ReplayAnswers.Started.class)))
	@PostMapping("/api/models/{version}/promotion")
	ResponseEntity<?> promote(@PathVariable String version) {
		if (!this.models.exists(version)) {
			return notFound(version);
		}
		if (version.equals(this.generations.current().model())) {
			return Problems.answer(HttpStatus.CONFLICT, "model-live", "version",
					"Model " + version + " is already live.");
		}
		return ReplayController.accepted(this.replays.start("PROMOTION", version, null).id());
	}

	/**
	 * Live versus candidate, now and at the dates asked, for every engagement of the
	 * candidate's latest sandbox, biggest movers first.
	 * @param at business times to compare at, besides now
	 * @param limit how many biggest movers to list
	 */
	@Operation(summary = "Compare a candidate with the live model")
	@ApiResponse(responseCode = "200", description = "The comparison",
			content = @Content(schema = @Schema(implementation = ModelAnswers.Comparison.class)))
	@GetMapping("/api/models/{version}/comparison")
	ResponseEntity<?> comparison(@PathVariable String version, @RequestParam(required = false) List<Instant> at,
			@RequestParam(defaultValue = "10") int limit) {
		if (!this.models.exists(version)) {
			return notFound(version);
		}
		Document run = this.replays.latestDone("CANDIDATE", version);
		Generation sandbox = (run != null) ? this.generations.get(run.getInteger("generation")) : null;
		if (sandbox == null) {
			return Problems.answer(HttpStatus.CONFLICT, "candidate-not-run", "version", "Model " + version
					+ " has no sandbox yet: POST /api/models/" + version + "/runs and wait for it to finish.");
		}
		if (limit < 1 || limit > 1000) {
			return Problems.answer(HttpStatus.BAD_REQUEST, "invalid-field", "limit", "limit is 1 to 1000.");
		}
		Generation live = this.generations.current();
		List<Instant> dates = (at != null) ? at : List.of();
		List<ModelAnswers.Engagement> engagements = new ArrayList<>();
		List<Document> sandboxed = new ArrayList<>();
		this.projection.forEach(sandbox, new Document(), sandboxed::add);
		for (Document candidate : sandboxed) {
			String engagementId = candidate.getString("_id");
			Document current = this.projection.find(live, engagementId);
			if (current == null || candidate.get("scores") == null || current.get("scores") == null) {
				continue;
			}
			engagements.add(compare(engagementId, live, current, sandbox, candidate, dates));
		}
		engagements.sort(Comparator.comparing((ModelAnswers.Engagement item) -> item.trustDelta().abs())
			.reversed()
			.thenComparing(ModelAnswers.Engagement::engagementId));
		Object finishedAt = run.get("finishedAt");
		ModelAnswers.Comparison answer = new ModelAnswers.Comparison(version, live.model(), sandbox.number(),
				live.number(), (finishedAt != null) ? Instant.parse(finishedAt.toString()) : null, dates,
				engagements.subList(0, Math.min(limit, engagements.size())), engagements);
		return ResponseEntity.ok(answer);
	}

	private ModelAnswers.Engagement compare(String engagementId, Generation live, Document current, Generation sandbox,
			Document candidate, List<Instant> dates) {
		Document liveScores = current.get("scores", Document.class);
		Document candidateScores = candidate.get("scores", Document.class);
		List<ModelAnswers.AtDate> atDates = new ArrayList<>();
		for (Instant date : dates) {
			ScoringEngine.Scores before = this.scores.scoresAt(live, engagementId,
					current.getList("historyMonths", String.class, List.of()), date, null);
			ScoringEngine.Scores after = this.scores.scoresAt(sandbox, engagementId,
					candidate.getList("historyMonths", String.class, List.of()), date, null);
			atDates.add(new ModelAnswers.AtDate(date,
					side(before.trustPoints(), before.mutualPoints(), before.band().name()),
					side(after.trustPoints(), after.mutualPoints(), after.band().name()),
					after.trustPoints().subtract(before.trustPoints())));
		}
		// the sandbox is a snapshot: events recorded since it was built are not in it
		return new ModelAnswers.Engagement(engagementId, current.getString("clientName"),
				side(liveScores.get("trust"), liveScores.get("mutualResponsibility"), liveScores.get("band")),
				side(candidateScores.get("trust"), candidateScores.get("mutualResponsibility"),
						candidateScores.get("band")),
				delta(candidateScores.get("trust"), liveScores.get("trust")),
				delta(candidateScores.get("mutualResponsibility"), liveScores.get("mutualResponsibility")),
				!current.get("lastSequence").equals(candidate.get("lastSequence")), atDates);
	}

	private static ModelAnswers.Side side(Object trust, Object mutual, Object band) {
		return new ModelAnswers.Side(decimal(trust), decimal(mutual), (String) band);
	}

	private static BigDecimal delta(Object candidate, Object live) {
		return decimal(candidate).subtract(decimal(live));
	}

	private static BigDecimal decimal(Object number) {
		return (number instanceof BigDecimal decimal) ? decimal
				: BigDecimal.valueOf(((Number) number).doubleValue()).setScale(2, java.math.RoundingMode.HALF_EVEN);
	}

	private boolean inUse(String version) {
		return this.generations.list()
			.stream()
			.anyMatch((generation) -> version.equals(generation.getString("model"))
					&& !"DROPPED".equals(generation.getString("state")));
	}

	private static ResponseEntity<ProblemDetail> notFound(String version) {
		return Problems.answer(HttpStatus.NOT_FOUND, "model-not-found", "version",
				"There is no scoring model " + version + "; upload it with PUT /api/models/" + version + ".");
	}

}
