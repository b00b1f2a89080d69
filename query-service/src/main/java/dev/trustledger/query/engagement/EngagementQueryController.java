package dev.trustledger.query.engagement;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.trustledger.support.Problems;
import org.bson.Document;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Reads engagement projections. */
@RestController
@RequestMapping("/api/engagements")
class EngagementQueryController {

	private final EngagementProjection projection;

	private final Clock clock;

	EngagementQueryController(EngagementProjection projection, Clock clock) {
		this.projection = projection;
		this.clock = clock;
	}

	@GetMapping("/{engagementId}")
	ResponseEntity<?> engagement(@PathVariable String engagementId) {
		Document document = this.projection.find(engagementId);
		if (document == null) {
			ProblemDetail problem = Problems.problem(HttpStatus.NOT_FOUND, "engagement-not-found", "engagementId",
					"No engagement " + engagementId + " has been projected.");
			return ResponseEntity.status(HttpStatus.NOT_FOUND)
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(problem);
		}
		Map<String, Object> view = view(document);
		addPromiseLists(view, document.get("promises", Document.class));
		return ResponseEntity.ok(view);
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
