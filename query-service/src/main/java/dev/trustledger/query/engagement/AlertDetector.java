package dev.trustledger.query.engagement;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.trustledger.events.alert.TrustAlertRaised;
import dev.trustledger.scoring.Band;
import dev.trustledger.scoring.ScorePoint;
import dev.trustledger.scoring.ScoringModel;

/**
 * Decides, from an engagement's timeline and what was already raised, which alerts the
 * latest state calls for: once per crossing, not on every event after it. A condition
 * that clears re-arms its alert. Pure: no clock, no I/O.
 */
final class AlertDetector {

	static final String TRUST_DROP = "TRUST_DROP";

	static final String ENTERED_AT_RISK = "ENTERED_AT_RISK";

	private AlertDetector() {
	}

	static Result detect(String engagementId, List<ScorePoint> points, State raised, ScoringModel.Alerts settings) {
		ScorePoint last = points.get(points.size() - 1);
		Instant windowStart = last.occurredAt().minus(Duration.ofDays(settings.windowDays()));
		BigDecimal peak = last.trust();
		List<String> causedBy = new ArrayList<>();
		// points are in occurrence order: only the window's tail is read
		for (int i = points.size() - 1; i >= 0 && !points.get(i).occurredAt().isBefore(windowStart); i--) {
			ScorePoint point = points.get(i);
			peak = peak.max(point.trust());
			if (point.explanation().trustChange().signum() < 0) {
				causedBy.add(point.eventId());
			}
		}
		java.util.Collections.reverse(causedBy);
		boolean dropped = peak.subtract(last.trust()).compareTo(BigDecimal.valueOf(settings.dropPoints())) >= 0;
		boolean atRisk = last.band() == Band.AT_RISK;
		List<TrustAlertRaised> alerts = new ArrayList<>();
		if (dropped && !raised.dropped()) {
			alerts.add(alert(engagementId, TRUST_DROP, last, peak, causedBy));
		}
		if (atRisk && !raised.atRisk()) {
			alerts.add(alert(engagementId, ENTERED_AT_RISK, last, peak, causedBy));
		}
		return new Result(alerts, new State(dropped, atRisk));
	}

	private static TrustAlertRaised alert(String engagementId, String kind, ScorePoint last, BigDecimal peak,
			List<String> causedBy) {
		return new TrustAlertRaised(engagementId, engagementId + ":" + kind + ":" + last.sequence(), kind, last.trust(),
				peak, last.band().name(), List.copyOf(causedBy), last.occurredAt(), last.modelVersion());
	}

	/**
	 * Which conditions held after the last event: an alert is raised when its condition
	 * starts to hold.
	 */
	record State(boolean dropped, boolean atRisk) {

		static final State NONE = new State(false, false);

	}

	record Result(List<TrustAlertRaised> alerts, State state) {
	}

}
