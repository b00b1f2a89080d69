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

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.support.Problems;
import org.bson.Document;
import org.bson.conversions.Bson;

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
class EngagementQueryController {

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

	/**
	 * The portfolio: every engagement with its current scores, at-risk first by default.
	 * @param sort {@code trust}, {@code responsibility} or {@code change} (30-day trend)
	 * @param asOf the scores as they stood at this business time instead of now
	 */
	@GetMapping
	ResponseEntity<?> portfolio(@RequestParam(defaultValue = "trust") String sort,
			@RequestParam(defaultValue = "asc") String direction, @RequestParam(required = false) String band,
			@RequestParam(required = false) String deliveryLead, @RequestParam(required = false) String accountTeam,
			@RequestParam(required = false) Boolean stale, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size, @RequestParam(required = false) Instant asOf) {
		Generation generation = this.generations.current();
		String sortField = switch (sort) {
			case "trust" -> "scores.trust";
			case "responsibility" -> "scores.mutualResponsibility";
			case "change" -> "scores.trend30d";
			default -> null;
		};
		if (sortField == null || !List.of("asc", "desc").contains(direction) || page < 0 || size < 1 || size > 200) {
			ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "invalid-field",
					(sortField == null) ? "sort" : !List.of("asc", "desc").contains(direction) ? "direction" : "page",
					"sort is trust, responsibility or change; direction asc or desc; page from 0; size 1 to 200.");
			return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
		}
		if (asOf != null) {
			return ResponseEntity.ok(portfolioAsOf(generation, asOf, sort, direction, band, deliveryLead, accountTeam,
					stale, page, size));
		}
		List<Bson> filters = new ArrayList<>();
		if (band != null) {
			filters.add(Filters.eq("scores.band", band.toUpperCase(java.util.Locale.ROOT)));
		}
		if (deliveryLead != null) {
			filters.add(Filters.eq("deliveryLead", deliveryLead));
		}
		if (accountTeam != null) {
			filters.add(Filters.eq("accountTeam", accountTeam));
		}
		if (stale != null) {
			Date staleBefore = Date
				.from(this.clock.instant().minus(Duration.ofDays(generation.engine().model().staleAfterDays())));
			filters.add(stale ? Filters.lt("lastEventAt", staleBefore) : Filters.gte("lastEventAt", staleBefore));
		}
		Bson order = Sorts.orderBy(direction.equals("asc") ? Sorts.ascending(sortField) : Sorts.descending(sortField),
				Sorts.ascending("_id"));
		EngagementProjection.Page result = this.projection.page(generation,
				filters.isEmpty() ? new Document() : Filters.and(filters), order, page, size);
		List<Map<String, Object>> items = new ArrayList<>();
		for (Document document : result.items()) {
			Map<String, Object> item = view(document);
			addScores(generation, item, document.get("scores", Document.class));
			item.remove("lastChange");
			item.remove("sequenceGaps");
			items.add(item);
		}
		return ResponseEntity.ok(Map.of("page", page, "size", size, "total", result.total(), "items", items));
	}

	/**
	 * The portfolio as it stood at business time {@code asOf}: every engagement opened by
	 * then, scored from the events that had occurred by then, filtered, sorted and paged
	 * by those scores. Names and people are the current ones.
	 */
	private Map<String, Object> portfolioAsOf(Generation generation, Instant asOf, String sort, String direction,
			String band, String deliveryLead, String accountTeam, Boolean stale, int page, int size) {
		List<Bson> filters = new ArrayList<>();
		filters.add(Filters.lte("openedAt", Date.from(asOf)));
		if (deliveryLead != null) {
			filters.add(Filters.eq("deliveryLead", deliveryLead));
		}
		if (accountTeam != null) {
			filters.add(Filters.eq("accountTeam", accountTeam));
		}
		int staleDays = generation.engine().model().staleAfterDays();
		List<Map<String, Object>> items = new ArrayList<>();
		List<Document> engagements = new ArrayList<>();
		this.projection.forEach(generation, Filters.and(filters), engagements::add);
		for (Document document : engagements) {
			String engagementId = document.getString("_id");
			List<String> months = document.getList("historyMonths", String.class, List.of());
			ScoreProjection.Standing standing = this.scores.standing(generation, engagementId, months, asOf);
			ScoringEngine.Scores scores = standing.scores();
			ScoringEngine.Scores monthBefore = standing.monthBefore();
			Instant lastEventAt = standing.lastEventAt();
			boolean staleThen = lastEventAt != null && lastEventAt.plus(Duration.ofDays(staleDays)).isBefore(asOf);
			if ((band != null && !scores.band().name().equalsIgnoreCase(band))
					|| (stale != null && stale != staleThen)) {
				continue;
			}
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("engagementId", engagementId);
			item.put("clientName", document.get("clientName"));
			item.put("accountTeam", document.get("accountTeam"));
			item.put("deliveryLead", document.get("deliveryLead"));
			item.put("asOf", asOf.toString());
			item.put("trust", scores.trustPoints());
			item.put("mutualResponsibility", scores.mutualPoints());
			item.put("band", scores.band().name());
			item.put("trend30d", scores.trustPoints().subtract(monthBefore.trustPoints()));
			item.put("sponsorless", scores.sponsorless());
			item.put("lastEventAt", (lastEventAt != null) ? lastEventAt.toString() : null);
			item.put("stale", staleThen);
			items.add(item);
		}
		String key = switch (sort) {
			case "responsibility" -> "mutualResponsibility";
			case "change" -> "trend30d";
			default -> "trust";
		};
		java.util.Comparator<Map<String, Object>> order = java.util.Comparator
			.comparing((Map<String, Object> item) -> (java.math.BigDecimal) item.get(key));
		if (direction.equals("desc")) {
			order = order.reversed();
		}
		order = order.thenComparing((item) -> (String) item.get("engagementId"));
		items.sort(order);
		int from = Math.min(items.size(), page * size);
		return Map.of("page", page, "size", size, "total", items.size(), "asOf", asOf.toString(), "items",
				items.subList(from, Math.min(items.size(), from + size)));
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
		Map<String, Object> view = view(document);
		addScores(generation, view, document.get("scores", Document.class));
		addPromiseLists(view, document.get("promises", Document.class));
		if (asOf != null || knownAt != null) {
			addScoresAsOf(generation, view, engagementId, document, (asOf != null) ? asOf : knownAt, knownAt);
		}
		return ResponseEntity.ok(view);
	}

	@GetMapping("/{engagementId}/timeline")
	ResponseEntity<?> timeline(@PathVariable String engagementId, @RequestParam(required = false) Instant from,
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
				new ArrayList<>(points.values()).stream().map(EngagementQueryController::json).toList(), "modelChanges",
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
				this.scores.events(generation, engagementId, months)
					.stream()
					.map(EngagementQueryController::json)
					.toList()));
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
		view.put("components", json(Document.parse(jsonOf(scores.components()))));
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
	 * The current scores at the top level, and the stale flag: no event for the model's
	 * stale period, by this service's clock at read time.
	 */
	private void addScores(Generation generation, Map<String, Object> view, Document scores) {
		view.remove("scores");
		if (scores == null) {
			return;
		}
		view.put("trust", scores.get("trust"));
		view.put("mutualResponsibility", scores.get("mutualResponsibility"));
		view.put("components", json(scores.get("components")));
		view.put("vendorOwnership", scores.get("vendorOwnership"));
		view.put("clientOwnership", scores.get("clientOwnership"));
		view.put("band", scores.get("band"));
		view.put("trend30d", scores.get("trend30d"));
		view.put("sparkline", scores.get("sparkline", List.of()));
		view.put("lastChange", json(scores.get("explanation")));
		view.put("modelVersion", scores.get("modelVersion"));
		Object lastEventAt = view.get("lastEventAt");
		boolean stale = lastEventAt != null && Instant.parse(lastEventAt.toString())
			.plus(Duration.ofDays(generation.engine().model().staleAfterDays()))
			.isBefore(this.clock.instant());
		view.put("stale", stale);
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

	/**
	 * The projection as JSON: {@code _id} becomes {@code engagementId} and dates become
	 * ISO-8601 instants.
	 */
	private static Map<String, Object> view(Document document) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("engagementId", document.get("_id"));
		document.forEach((key, value) -> {
			if (!key.equals("_id")) {
				view.put(key, json(value));
			}
		});
		return view;
	}

	private static Object json(Object value) {
		if (value instanceof Date date) {
			return date.toInstant().toString();
		}
		if (value instanceof Document document) {
			Map<String, Object> map = new LinkedHashMap<>();
			document.forEach((key, nested) -> map.put(key, json(nested)));
			return map;
		}
		if (value instanceof List<?> list) {
			return list.stream().map(EngagementQueryController::json).toList();
		}
		return value;
	}

}
