package dev.trustledger.query.engagement;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.query.projection.ScoreProjection;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.support.Problems;
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

/** Reads engagement projections. */
@RestController
@RequestMapping("/api/engagements")
public class EngagementQueryController {

	private final EngagementProjection projection;

	private final ScoreProjection scores;

	private final Generations generations;

	private final Clock clock;

	private final com.fasterxml.jackson.databind.ObjectMapper objectMapper;

	EngagementQueryController(EngagementProjection projection, ScoreProjection scores, Generations generations,
			Clock clock, com.fasterxml.jackson.databind.ObjectMapper objectMapper) {
		this.projection = projection;
		this.scores = scores;
		this.generations = generations;
		this.clock = clock;
		this.objectMapper = objectMapper;
	}

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
		if (asOf != null || knownAt != null) {
			addScoresAsOf(generation, view, engagementId, document, (asOf != null) ? asOf : knownAt, knownAt);
		}
		return ResponseEntity.ok(view);
	}

	@GetMapping("/{engagementId}/timeline")
	public ResponseEntity<?> timeline(@PathVariable String engagementId, @RequestParam(required = false) Instant from,
			@RequestParam(required = false) Instant to, @RequestParam(defaultValue = "event") String granularity) {
		Generation generation = this.generations.current();
		Document document = this.projection.find(generation, engagementId);
		if (document == null) {
			return notFound(engagementId);
		}
		if (!List.of("event", "day", "week").contains(granularity)) {
			ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "invalid-field", "granularity",
					"granularity is one of event, day, week.");
			return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
		}
		List<String> months = document.containsKey("historyMonths") ? document.getList("historyMonths", String.class)
				: List.of();
		Map<String, Document> points = new LinkedHashMap<>();
		for (Document point : this.scores.timeline(generation, engagementId, months)) {
			Instant at = Instant.parse(point.getString("occurredAt"));
			if ((from != null && at.isBefore(from)) || (to != null && at.isAfter(to))) {
				continue;
			}
			// the last point of each day or week stands for it
			String key = switch (granularity) {
				case "day" -> at.atOffset(ZoneOffset.UTC).toLocalDate().toString();
				case "week" -> at.atOffset(ZoneOffset.UTC)
					.toLocalDate()
					.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
					.toString();
				default -> String.valueOf(point.get("sequence"));
			};
			points.put(key, point);
		}
		return ResponseEntity.ok(Map.of("engagementId", engagementId, "granularity", granularity, "points",
				new ArrayList<>(points.values()).stream().map(EngagementViews::json).toList(), "modelChanges",
				modelChanges(from, to)));
	}

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
