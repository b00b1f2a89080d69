package dev.trustledger.query.alert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.trustledger.events.alert.TrustAlertRaised;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.projection.EngagementDocuments;
import dev.trustledger.query.projection.EngagementProjection;
import io.swagger.v3.oas.annotations.Operation;
import org.bson.Document;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Trust alerts, most recent first, with the events that caused them. */
@RestController
class AlertController {

	private final Alerts alerts;

	private final Generations generations;

	private final EngagementProjection projection;

	private final OpenAlerts openAlerts;

	AlertController(Alerts alerts, Generations generations, EngagementProjection projection, OpenAlerts openAlerts) {
		this.openAlerts = openAlerts;
		this.alerts = alerts;
		this.generations = generations;
		this.projection = projection;
	}

	/**
	 * @param open only the alerts still open: the latest of each kind per engagement,
	 * while the engagement is still in that state (still below its peak by the drop,
	 * still at risk)
	 */
	@Operation(summary = "Trust alerts, most recent first, of one engagement or all; or only the open ones")
	@GetMapping("/api/alerts")
	AlertList alerts(@RequestParam(required = false) String engagementId, @RequestParam(defaultValue = "100") int limit,
			@RequestParam(defaultValue = "false") boolean open) {
		Generation generation = this.generations.current();
		int bounded = Math.max(1, Math.min(limit, 1000));
		List<Document> found = (open && engagementId == null) ? this.openAlerts.open(bounded) : null;
		if (found == null) {
			found = (engagementId != null) ? forEngagement(generation, engagementId, bounded)
					: this.alerts.list(generation, bounded);
			if (open) {
				found = stillOpen(generation, found);
			}
		}
		return new AlertList(found.stream().map(AlertController::view).toList());
	}

	private List<Document> forEngagement(Generation generation, String engagementId, int limit) {
		Document engagement = this.projection.find(generation, engagementId);
		return (engagement != null) ? this.alerts.list(generation, engagementId,
				engagement.getList("historyMonths", String.class, List.of()), limit) : List.of();
	}

	private List<Document> stillOpen(Generation generation, List<Document> alerts) {
		Map<String, AlertDetector.State> states = new HashMap<>();
		Set<String> seen = new HashSet<>();
		List<Document> open = new ArrayList<>();
		for (Document alert : alerts) {
			String engagementId = alert.getString("engagementId");
			String kind = alert.getString("kind");
			if (!seen.add(engagementId + "/" + kind)) {
				continue;
			}
			AlertDetector.State state = states.computeIfAbsent(engagementId, (id) -> {
				Document engagement = this.projection.find(generation, id);
				return (engagement != null) ? EngagementDocuments.alertState(engagement) : AlertDetector.State.NONE;
			});
			if (state.holds(kind)) {
				open.add(alert);
			}
		}
		return open;
	}

	private static TrustAlertRaised view(Document alert) {
		return new TrustAlertRaised(alert.getString("engagementId"), alert.getString("alertId"),
				alert.getString("kind"), EngagementDocuments.decimal(alert.get("trust")),
				EngagementDocuments.decimal(alert.get("peakTrust")), alert.getString("band"),
				alert.getList("causedBy", String.class), alert.getDate("occurredAt").toInstant(),
				alert.getString("modelVersion"));
	}

}
