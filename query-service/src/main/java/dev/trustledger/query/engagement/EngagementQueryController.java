package dev.trustledger.query.engagement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.trustledger.query.alert.Alerts;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.query.projection.ScoreProjection;
import dev.trustledger.query.projection.TimelineRow;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.support.Problems;
import io.swagger.v3.oas.annotations.Operation;
import org.bson.Document;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.util.UriComponentsBuilder;

/** Reads engagement projections. */
@RestController
@RequestMapping("/api/engagements")
class EngagementQueryController {

	private final EngagementProjection projection;

	private final ScoreProjection scores;

	private final Generations generations;

	private final Clock clock;

	private final Timelines timelines;

	private final Alerts alerts;

	private final com.fasterxml.jackson.databind.ObjectMapper objectMapper;

	EngagementQueryController(EngagementProjection projection, ScoreProjection scores, Generations generations,
			Clock clock, com.fasterxml.jackson.databind.ObjectMapper objectMapper, Timelines timelines, Alerts alerts) {
		this.timelines = timelines;
		this.alerts = alerts;
		this.projection = projection;
		this.scores = scores;
		this.generations = generations;
		this.clock = clock;
		this.objectMapper = objectMapper;
	}

	@Operation(summary = "One engagement: its scores, promises and counts, now or as of a date and as known then")
	@GetMapping("/{engagementId}")
	ResponseEntity<?> engagement(@PathVariable String engagementId, @RequestParam(required = false) Instant asOf,
			@RequestParam(required = false) Instant knownAt) {
		Generation generation = this.generations.current();
		Document document = this.projection.find(generation, engagementId);
		if (document == null) {
			ProblemDetail problem = Problems.problem(HttpStatus.NOT_FOUND, "engagement-not-found", "engagementId",
					"No engagement " + engagementId + " has been projected.");
			return ResponseEntity.status(HttpStatus.NOT_FOUND)
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(problem);
		}
		Map<String, Object> view = EngagementViews.view(document);
		EngagementViews.addScores(view, document.get("scores", Document.class),
				generation.engine().model().staleAfterDays(), this.clock.instant());
		addPromiseLists(view, document.get("promises", Document.class));
		// what says which alerts are open: the open ones are in /api/alerts?open=true
		view.remove("latestAlerts");
		if (asOf != null || knownAt != null) {
			addScoresAsOf(generation, view, engagementId, document, (asOf != null) ? asOf : knownAt, knownAt);
		}
		return ResponseEntity.ok(view);
	}

	/** The point budget of a timeline answer unless one is asked for. */
	static final int DEFAULT_POINTS = 1000;

	/** The largest point budget an answer may ask for. */
	static final int MAX_POINTS = 10_000;

	/**
	 * The scored timeline in a range, at most {@code maxPoints} points: a longer one is
	 * reduced so that its shape survives ({@link TimelineReduction}), and the answer says
	 * so and where every point can be had (the CSV export, which is never reduced).
	 */
	@Operation(summary = "An engagement's scored timeline in a range, at most maxPoints points")
	@GetMapping("/{engagementId}/timeline")
	public ResponseEntity<?> timeline(@PathVariable String engagementId, @RequestParam(required = false) Instant from,
			@RequestParam(required = false) Instant to, @RequestParam(defaultValue = "event") String granularity,
			@RequestParam(defaultValue = "" + DEFAULT_POINTS) int maxPoints, WebRequest request) {
		if (!Timelines.knows(granularity)) {
			return invalid("granularity", "granularity is one of event, day, week.");
		}
		if (maxPoints < 2 || maxPoints > MAX_POINTS) {
			return invalid("maxPoints", "maxPoints is from 2 to " + MAX_POINTS + ".");
		}
		if (from != null && to != null && from.isAfter(to)) {
			return invalid("from", "from must not be after to.");
		}
		Generation generation = this.generations.current();
		Document document = this.projection.find(generation, engagementId);
		if (document == null) {
			return notFound(engagementId);
		}
		// the same question of the same engagement has the same answer until its next
		// event
		long lastSequence = document.get("lastSequence", Number.class).longValue();
		String question = engagementId + "?" + from + "&" + to + "&" + granularity + "&" + maxPoints;
		String etag = "\"g" + generation.number() + "-s" + lastSequence + "-" + Integer.toHexString(question.hashCode())
				+ "\"";
		if (request.checkNotModified(etag)) {
			return null;
		}
		byte[] answer = this.timelines.answer(generation.number() + "/" + lastSequence + "/" + question,
				() -> jsonBytes(timelineAnswer(generation, document, from, to, granularity, maxPoints)));
		return ResponseEntity.ok().eTag(etag).contentType(MediaType.APPLICATION_JSON).body(answer);
	}

	private Map<String, Object> timelineAnswer(Generation generation, Document document, Instant from, Instant to,
			String granularity, int maxPoints) {
		String engagementId = document.getString("_id");
		List<TimelineRow> rows = this.timelines.read(generation, document, from, to, granularity);
		List<TimelineRow> kept = (rows.size() > maxPoints) ? TimelineReduction.reduce(rows, maxPoints, this.alerts
			.raisedAt(generation, engagementId, document.getList("historyMonths", String.class, List.of()))) : rows;
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("engagementId", engagementId);
		answer.put("granularity", granularity);
		answer.put("from", (from != null) ? from.toString() : null);
		answer.put("to", (to != null) ? to.toString() : null);
		answer.put("maxPoints", maxPoints);
		answer.put("pointsInRange", rows.size());
		answer.put("reduced", kept.size() < rows.size());
		answer.put("points", kept.stream().map(TimelineRow::point).toList());
		answer.put("modelChanges", modelChanges(from, to));
		answer.put("everyPoint", everyPoint(engagementId, from, to, granularity));
		return answer;
	}

	private byte[] jsonBytes(Object value) {
		try {
			return this.objectMapper.writeValueAsBytes(value);
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Where every point of the same range is, never reduced: the streamed CSV export. */
	private static String everyPoint(String engagementId, Instant from, Instant to, String granularity) {
		UriComponentsBuilder link = UriComponentsBuilder.fromPath("/api/engagements/{engagementId}/timeline.csv");
		if (from != null) {
			link.queryParam("from", from.toString());
		}
		if (to != null) {
			link.queryParam("to", to.toString());
		}
		if (!granularity.equals("event")) {
			link.queryParam("granularity", granularity);
		}
		return link.buildAndExpand(engagementId).encode().toUriString();
	}

	private static ResponseEntity<ProblemDetail> invalid(String field, String detail) {
		return Problems.answer(HttpStatus.BAD_REQUEST, "invalid-field", field, detail);
	}

	@Operation(summary = "An engagement's history: each event with its data and what it did to the scores")
	@GetMapping("/{engagementId}/events")
	ResponseEntity<?> events(@PathVariable String engagementId) {
		Generation generation = this.generations.current();
		Document document = this.projection.find(generation, engagementId);
		if (document == null) {
			return notFound(engagementId);
		}
		List<String> months = document.containsKey("historyMonths") ? document.getList("historyMonths", String.class)
				: List.of();
		return ResponseEntity.ok(Map.of("engagementId", engagementId, "events",
				this.scores.events(generation, engagementId, months).stream().map(EngagementViews::json).toList()));
	}

	/**
	 * The scores as they stood at business time {@code asOf}; evidence fades up to that
	 * instant.
	 */
	private void addScoresAsOf(Generation generation, Map<String, Object> view, String engagementId, Document document,
			Instant asOf, Instant knownAt) {
		List<String> months = document.containsKey("historyMonths") ? document.getList("historyMonths", String.class)
				: List.of();
		ScoringEngine.Scores scores = this.scores.scoresAt(generation, engagementId, months, asOf, knownAt);
		view.put("asOf", asOf.toString());
		if (knownAt != null) {
			view.put("knownAt", knownAt.toString());
		}
		view.put("trust", scores.trustPoints());
		view.put("mutualResponsibility", scores.mutualPoints());
		view.put("components", EngagementViews.json(Document.parse(jsonOf(scores.components()))));
		view.put("vendorOwnership", java.math.BigDecimal.valueOf(scores.vendor(), 2));
		view.put("clientOwnership", java.math.BigDecimal.valueOf(scores.client(), 2));
		view.put("band", scores.band().name());
		view.put("sponsorless", scores.sponsorless());
		Object lastEventAt = view.get("lastEventAt");
		view.put("stale",
				lastEventAt != null && Instant.parse(lastEventAt.toString())
					.plus(Duration.ofDays(generation.engine().model().staleAfterDays()))
					.isBefore(asOf));
		view.remove("trend30d");
		view.remove("lastChange");
	}

	/**
	 * The changes of the live scoring model in the range: scores on either side of one
	 * were computed by different models.
	 */
	private List<Map<String, Object>> modelChanges(Instant from, Instant to) {
		List<Map<String, Object>> changes = new ArrayList<>();
		for (Document change : this.generations.modelChanges()) {
			Instant at = change.getDate("at").toInstant();
			if ((from == null || !at.isBefore(from)) && (to == null || !at.isAfter(to))) {
				Map<String, Object> marker = new LinkedHashMap<>();
				marker.put("at", at.toString());
				marker.put("fromModel", change.getString("from"));
				marker.put("toModel", change.getString("to"));
				marker.put("generation", change.get("generation"));
				changes.add(marker);
			}
		}
		return changes;
	}

	private String jsonOf(Object value) {
		try {
			return this.objectMapper.writeValueAsString(value);
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ResponseEntity<ProblemDetail> notFound(String engagementId) {
		ProblemDetail problem = Problems.problem(HttpStatus.NOT_FOUND, "engagement-not-found", "engagementId",
				"No engagement " + engagementId + " has been projected.");
		return ResponseEntity.status(HttpStatus.NOT_FOUND)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	/**
	 * Open promises, and the overdue ones among them: past due by this service's clock at
	 * read time.
	 */
	private void addPromiseLists(Map<String, Object> view, Document promises) {
		List<String> open = new ArrayList<>();
		List<String> overdue = new ArrayList<>();
		Date now = Date.from(this.clock.instant());
		if (promises != null) {
			promises.forEach((promiseId, value) -> {
				Document promise = (Document) value;
				if ("OPEN".equals(promise.getString("state"))) {
					open.add(promiseId);
					if (promise.getDate("dueBy").before(now)) {
						overdue.add(promiseId);
					}
				}
			});
		}
		view.put("openPromises", open);
		view.put("overduePromises", overdue);
	}

}
