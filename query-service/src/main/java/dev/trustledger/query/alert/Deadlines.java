package dev.trustledger.query.alert;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import dev.trustledger.events.alert.TrustAlertRaised;
import dev.trustledger.query.projection.EngagementDocuments;
import dev.trustledger.scoring.ScoringModel;
import org.bson.Document;

/**
 * The alerts that the passing of time raises rather than an event, decided from an
 * engagement's document and a given instant:
 * <ul>
 * <li>{@link AlertDetector#ENGAGEMENT_STALE}: nothing has occurred in an open engagement
 * for the model's {@code staleAfterDays}. Its id carries the sequence of the event that
 * occurred last, so that it is raised once for each quiet spell; an event that occurred
 * later ends it, and a backdated one does not.</li>
 * <li>{@link AlertDetector#PROMISE_OVERDUE}: a promise was neither kept nor broken
 * {@code alerts.promiseOverdueDays} after its due date. Its id carries the sequence of
 * the event that made the promise: once per promise.</li>
 * </ul>
 * Each occurs at its crossing (the due date plus the days allowed, the last event plus
 * the stale period), not when it was noticed, and carries the engagement's scores as they
 * stand when it is raised. Pure: no clock, no I/O.
 */
public final class Deadlines {

	private Deadlines() {
	}

	/**
	 * What is due at {@code now}, and when the next crossing falls ({@code null} for
	 * none).
	 */
	public static Due due(Document engagement, ScoringModel model, Instant now) {
		Document scores = engagement.get("scores", Document.class);
		if (!"OPEN".equals(engagement.getString("status")) || scores == null
				|| !(scores.get("trust") instanceof Number trust)) {
			return new Due(List.of(), null);
		}
		String engagementId = engagement.getString("_id");
		BigDecimal trustNow = BigDecimal.valueOf(trust.doubleValue());
		String band = scores.getString("band");
		String version = model.version();
		List<Raised> alerts = new ArrayList<>();
		Instant next = null;
		Date lastEventAt = engagement.getDate("lastEventAt");
		Document state = engagement.get("alertState", Document.class);
		boolean spellRaised = state != null && state.getBoolean(EngagementDocuments.STALE, false);
		// a quiet spell already alerted stays one alert, whatever is backdated into it
		if (lastEventAt != null && !spellRaised) {
			Instant quietFrom = lastEventAt.toInstant().plus(Duration.ofDays(model.staleAfterDays()));
			if (!quietFrom.isAfter(now)) {
				Number sequence = engagement.get(EngagementDocuments.LAST_EVENT_SEQUENCE, Number.class);
				String eventId = engagement.getString(EngagementDocuments.LAST_EVENT_ID);
				long last = (sequence != null) ? sequence.longValue()
						: engagement.get("lastSequence", Number.class).longValue();
				alerts.add(new Raised(
						new TrustAlertRaised(engagementId,
								engagementId + ":" + AlertDetector.ENGAGEMENT_STALE + ":" + last,
								AlertDetector.ENGAGEMENT_STALE, trustNow, trustNow, band,
								(eventId != null) ? List.of(eventId) : List.of(), quietFrom, version),
						lastEventAt.toInstant()));
			}
			else {
				next = quietFrom;
			}
		}
		Document promises = engagement.get("promises", Document.class);
		Duration allowed = Duration.ofDays(model.alerts().promiseOverdueDays());
		if (promises != null) {
			for (Object value : promises.values()) {
				Document promise = (Document) value;
				Date dueBy = promise.getDate("dueBy");
				Number sequence = promise.get("sequence", Number.class);
				if (!"OPEN".equals(promise.getString("state")) || dueBy == null || sequence == null) {
					// a promise projected before its sequence was kept is alerted after a
					// rebuild
					continue;
				}
				Instant overdueFrom = dueBy.toInstant().plus(allowed);
				if (overdueFrom.isAfter(now)) {
					next = (next == null || overdueFrom.isBefore(next)) ? overdueFrom : next;
					continue;
				}
				String eventId = promise.getString("eventId");
				Date madeAt = promise.getDate("madeAt");
				alerts.add(new Raised(
						new TrustAlertRaised(engagementId,
								engagementId + ":" + AlertDetector.PROMISE_OVERDUE + ":" + sequence.longValue(),
								AlertDetector.PROMISE_OVERDUE, trustNow, trustNow, band,
								(eventId != null) ? List.of(eventId) : List.of(), overdueFrom, version),
						(madeAt != null) ? madeAt.toInstant() : lastEventAt.toInstant()));
			}
		}
		// the latest crossing last: it is the one the engagement shows for its kind
		alerts.sort(java.util.Comparator.comparing((Raised raised) -> raised.alert().occurredAt())
			.thenComparing((raised) -> raised.alert().alertId()));
		return new Due(alerts, next);
	}

	/**
	 * The alerts due, earliest crossing first, and the next crossing after them.
	 */
	public record Due(List<Raised> alerts, Instant next) {
	}

	/**
	 * An alert, and when the event it names occurred: it is kept among the engagement's
	 * alerts of that month, one its history has, where the engagement's alerts are read
	 * ({@link Alerts}); its crossing may fall in a month without events.
	 */
	public record Raised(TrustAlertRaised alert, Instant filedUnder) {
	}

}
