package dev.trustledger.query.engagement;

import java.util.Date;
import java.util.List;
import java.util.Map;

import dev.trustledger.query.generation.Generations;
import org.bson.Document;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Trust alerts, most recent first, with the events that caused them. */
@RestController
class AlertController {

	private final Alerts alerts;

	private final Generations generations;

	AlertController(Alerts alerts, Generations generations) {
		this.alerts = alerts;
		this.generations = generations;
	}

	@GetMapping("/api/alerts")
	Map<String, Object> alerts(@RequestParam(required = false) String engagementId,
			@RequestParam(defaultValue = "100") int limit) {
		List<Map<String, Object>> items = this.alerts
			.list(this.generations.current(), engagementId, Math.max(1, Math.min(limit, 1000)))
			.stream()
			.map(AlertController::view)
			.toList();
		return Map.of("alerts", items);
	}

	private static Map<String, Object> view(Document alert) {
		Map<String, Object> view = new java.util.LinkedHashMap<>();
		alert.forEach((key, value) -> {
			if (!key.equals("_id")) {
				view.put(key, (value instanceof Date date) ? date.toInstant().toString() : value);
			}
		});
		return view;
	}

}
