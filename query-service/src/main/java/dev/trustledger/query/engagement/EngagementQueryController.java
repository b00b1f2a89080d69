package dev.trustledger.query.engagement;

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

	EngagementQueryController(EngagementProjection projection) {
		this.projection = projection;
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
		return ResponseEntity.ok(view(document));
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
