package dev.trustledger.query.engagement;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.trustledger.query.alert.Alerts;
import dev.trustledger.query.alert.Deadlines;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.query.projection.LatestSequences;
import dev.trustledger.query.projection.ScoreProjection;
import dev.trustledger.query.projection.TimelineLayout;
import dev.trustledger.query.projection.TimelineRow;
import dev.trustledger.support.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.bson.Document;

import org.springframework.http.HttpHeaders;
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

	private final LatestSequences sequences;

	private final EngagementAnswers engagementAnswers;

	private final com.fasterxml.jackson.databind.ObjectMapper objectMapper;

	EngagementQueryController(EngagementProjection projection, ScoreProjection scores, Generations generations,
			Clock clock, com.fasterxml.jackson.databind.ObjectMapper objectMapper, Timelines timelines, Alerts alerts,
			LatestSequences sequences, EngagementAnswers engagementAnswers) {
		this.sequences = sequences;
		this.engagementAnswers = engagementAnswers;
		this.timelines = timelines;
		this.alerts = alerts;
		this.projection = projection;
		this.scores = scores;
		this.generations = generations;
		this.clock = clock;
		this.objectMapper = objectMapper;
	}

	@Operation(summary = "One engagement: its scores, promises and counts, now or as of a date and as known then")
	@ApiResponse(responseCode = "200", description = "The engagement",
			content = @Content(schema = @Schema(implementation = EngagementView.class)))
	@GetMapping("/{engagementId}")
	ResponseEntity<?> engagement(@PathVariable String engagementId, @RequestParam(required = false) Instant asOf,
			@RequestParam(required = false) Instant knownAt, WebRequest request) {
		Generation generation = this.generations.current();
		int staleAfterDays = generation.engine().model().staleAfterDays();
		Instant now = this.clock.instant();
		boolean current = asOf == null && knownAt == null;
		boolean acceptsGzip = acceptsGzip(request.getHeader(HttpHeaders.ACCEPT_ENCODING));
		if (current) {
			// an answer kept for the latest sequence this instance knows of is given
			// without asking the store for the engagement (LatestSequences)
			Long latest = this.sequences.latest(engagementId);
			Timelines.Answer kept = (latest != null)
					? this.engagementAnswers.kept(generation.number(), latest, engagementId, now) : null;
			if (kept != null) {
				return send(kept, acceptsGzip, null);
			}
		}
		LatestSequences.Ticket ticket = this.sequences.ticket();
		Document document = this.projection.find(generation, engagementId);
		if (document == null) {
			return notFound(engagementId);
		}
		Number sequence = document.get("lastSequence", Number.class);
		if (sequence != null) {
			this.sequences.read(ticket, engagementId, sequence.longValue());
		}
		if (current && sequence != null) {
			return send(this.engagementAnswers.answer(generation.number(), sequence.longValue(), engagementId,
					() -> EngagementView.whole(document, staleAfterDays, now), staleAfterDays, now, !acceptsGzip),
					acceptsGzip, null);
		}
		EngagementView view = EngagementView.whole(document, staleAfterDays, now);
		if (current) {
			return ResponseEntity.ok(view);
		}
		Instant at = (asOf != null) ? asOf : knownAt;
		List<String> months = document.getList("historyMonths", String.class, List.of());
		view = view.asOf(this.scores.scoresAt(generation, engagementId, months, at, knownAt), at, knownAt,
				staleAfterDays);
		return ResponseEntity.ok(view);
	}

	/**
	 * An answer as JSON, or gzip-encoded to a client that accepts it when the answer is
	 * compressed; either way varying with {@code Accept-Encoding}.
	 */
	private static ResponseEntity<byte[]> send(Timelines.Answer answer, boolean acceptsGzip, String etag) {
		ResponseEntity.BodyBuilder ok = ResponseEntity.ok()
			.header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING)
			.contentType(MediaType.APPLICATION_JSON);
		if (etag != null) {
			ok.eTag(etag);
		}
		return (acceptsGzip && answer.gzip() != null)
				? ok.header(HttpHeaders.CONTENT_ENCODING, "gzip").body(answer.gzip()) : ok.body(answer.json());
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
	@ApiResponse(responseCode = "200", description = "The timeline",
			content = @Content(schema = @Schema(implementation = TimelineAnswer.class)))
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag given in If-None-Match",
			content = @Content)
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
		// the same question of the same engagement has the same answer until its next
		// event, or the next crossing that time-raised alerts come at
		String question = engagementId + "?" + from + "&" + to + "&" + granularity + "&" + maxPoints;
		// the compressed answer is another representation: another entity tag
		boolean acceptsGzip = acceptsGzip(request.getHeader(HttpHeaders.ACCEPT_ENCODING));
		// an answer kept for the latest sequence this instance knows of is given without
		// asking the store for the engagement (LatestSequences), until that next
		// crossing:
		// a reduced answer keeps the points time-raised alerts belong to
		// (Deadlines#passed)
		Instant now = this.clock.instant();
		Long latest = this.sequences.latest(engagementId);
		Timelines.Kept kept = (latest != null) ? this.timelines.kept(answerKey(generation, latest, question), now)
				: null;
		Document document = null;
		long lastSequence;
		int crossings;
		Deadlines.Passed passed = null;
		if (kept != null) {
			lastSequence = latest;
			crossings = kept.passed();
		}
		else {
			LatestSequences.Ticket ticket = this.sequences.ticket();
			document = this.projection.find(generation, engagementId);
			if (document == null) {
				return notFound(engagementId);
			}
			lastSequence = document.get("lastSequence", Number.class).longValue();
			this.sequences.read(ticket, engagementId, lastSequence);
			passed = Deadlines.passed(document, generation.engine().model(), now);
			crossings = passed.count();
		}
		String etag = "\"g" + generation.number() + "-s" + lastSequence + "-c" + crossings + "-"
				+ Integer.toHexString(question.hashCode()) + (acceptsGzip ? "-gz" : "") + "\"";
		// a 304 varies as the 200 does
		if (request instanceof org.springframework.web.context.request.ServletWebRequest servlet
				&& servlet.getResponse() != null) {
			servlet.getResponse().addHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
		}
		if (request.checkNotModified(etag)) {
			return null;
		}
		if (kept != null) {
			return send(kept.answer(), acceptsGzip, etag);
		}
		Document read = document;
		Deadlines.Passed crossed = passed;
		Timelines.Answer answer = this.timelines.answer(answerKey(generation, lastSequence, question), crossed, now,
				() -> {
					TimelineRows rows = timelineAnswer(generation, read, crossed, from, to, granularity, maxPoints);
					return (out) -> rows.writeTo(out, this.objectMapper);
				}, !acceptsGzip);
		return send(answer, acceptsGzip, etag);
	}

	/**
	 * What a timeline answer is kept under: the question at a sequence of a generation.
	 */
	private static String answerKey(Generation generation, long lastSequence, String question) {
		return generation.number() + "/" + lastSequence + "/" + question;
	}

	private TimelineRows timelineAnswer(Generation generation, Document document, Deadlines.Passed passed, Instant from,
			Instant to, String granularity, int maxPoints) {
		String engagementId = document.getString("_id");
		List<TimelineRow> rows = this.timelines.read(generation, document, from, to, granularity);
		List<TimelineRow> kept = rows;
		if (rows.size() > maxPoints) {
			// the alerts on record, and those that crossings passed by now call for,
			// which
			// a sweep may not have raised yet
			Set<Long> alerted = new HashSet<>(this.alerts.raisedAt(generation, engagementId,
					document.getList("historyMonths", String.class, List.of())));
			alerted.addAll(passed.sequences());
			kept = TimelineReduction.reduce(rows, maxPoints, alerted);
		}
		return new TimelineRows(engagementId, granularity, from, to, maxPoints, rows.size(), kept.size() < rows.size(),
				kept, modelChanges(from, to), everyPoint(engagementId, from, to, granularity));
	}

	/** Whether an Accept-Encoding header accepts gzip (not refused with q=0). */
	static boolean acceptsGzip(String acceptEncoding) {
		if (acceptEncoding == null) {
			return false;
		}
		for (String coding : acceptEncoding.split(",")) {
			String[] parts = coding.trim().toLowerCase(java.util.Locale.ROOT).split(";");
			String name = parts[0].trim();
			if (name.equals("gzip") || name.equals("x-gzip")) {
				for (int i = 1; i < parts.length; i++) {
					String parameter = parts[i].trim().replace(" ", "");
					if (parameter.matches("q=0(\\.0{0,3})?")) {
						return false;
					}
				}
				return true;
			}
		}
		return false;
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

	/** The events of a history page unless fewer are asked for. */
	static final int DEFAULT_EVENTS = 1000;

	/**
	 * A page of the history: the latest {@code limit} events of the range, oldest first,
	 * and where the events before them are.
	 * @param beforeSequence with {@code to}: of the events at {@code to}, only those of a
	 * lower sequence; the {@code earlier} link of an answer sets both
	 */
	@Operation(
			summary = "An engagement's history, a page at a time: each event with its data and what it did to the scores")
	@ApiResponse(responseCode = "200", description = "The latest events of the range",
			content = @Content(schema = @Schema(implementation = EngagementHistory.class)))
	@GetMapping("/{engagementId}/events")
	ResponseEntity<?> events(@PathVariable String engagementId, @RequestParam(required = false) Instant from,
			@RequestParam(required = false) Instant to, @RequestParam(required = false) Long beforeSequence,
			@RequestParam(defaultValue = "" + DEFAULT_EVENTS) int limit) {
		if (limit < 1 || limit > MAX_POINTS) {
			return invalid("limit", "limit is from 1 to " + MAX_POINTS + ".");
		}
		if (from != null && to != null && from.isAfter(to)) {
			return invalid("from", "from must not be after to.");
		}
		if (beforeSequence != null && to == null) {
			return invalid("beforeSequence", "beforeSequence goes with to: the events at to before that sequence.");
		}
		Generation generation = this.generations.current();
		Document document = this.projection.find(generation, engagementId);
		if (document == null) {
			return notFound(engagementId);
		}
		List<String> months = document.getList("historyMonths", String.class, List.of());
		ScoreProjection.HistoryPage page = this.scores.events(generation, engagementId, months,
				TimelineLayout.of(document), from, to, beforeSequence, limit);
		List<EngagementHistory.Event> events = page.events().stream().map(EngagementHistory.Event::of).toList();
		String earlier = null;
		if (page.earlier() && !events.isEmpty()) {
			EngagementHistory.Event first = events.get(0);
			UriComponentsBuilder link = UriComponentsBuilder.fromPath("/api/engagements/{engagementId}/events");
			if (from != null) {
				link.queryParam("from", from.toString());
			}
			link.queryParam("to", first.occurredAt().toString())
				.queryParam("beforeSequence", first.sequence())
				.queryParam("limit", limit);
			earlier = link.buildAndExpand(engagementId).encode().toUriString();
		}
		return ResponseEntity.ok(new EngagementHistory(engagementId, from, to, limit, events, earlier));
	}

	/**
	 * The changes of the live scoring model in the range: scores on either side of one
	 * were computed by different models.
	 */
	private List<TimelineAnswer.ModelChange> modelChanges(Instant from, Instant to) {
		List<TimelineAnswer.ModelChange> changes = new ArrayList<>();
		for (Document change : this.generations.modelChanges()) {
			Instant at = change.getDate("at").toInstant();
			if ((from == null || !at.isBefore(from)) && (to == null || !at.isAfter(to))) {
				changes.add(new TimelineAnswer.ModelChange(at, change.getString("from"), change.getString("to"),
						change.get("generation", Number.class).intValue()));
			}
		}
		return changes;
	}

	private static ResponseEntity<ProblemDetail> notFound(String engagementId) {
		return Problems.answer(HttpStatus.NOT_FOUND, "engagement-not-found", "engagementId",
				"No engagement " + engagementId + " has been projected.");
	}

}
