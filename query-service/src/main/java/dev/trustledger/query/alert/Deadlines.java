package dev.trustledger.query.alert;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
		if (!open(engagement)) {
			return new Due(List.of(), null);
		}
		Document scores = engagement.get("scores", Document.class);
		String engagementId = engagement.getString("_id");
		BigDecimal trustNow = BigDecimal.valueOf(scores.get("trust", Number.class).doubleValue());
		String band = scores.getString("band");
		String version = model.version();
		List<Raised> alerts = new ArrayList<>();
		Instant next = null;
		Document state = engagement.get("alertState", Document.class);
		boolean spellRaised = state != null && state.getBoolean(EngagementDocuments.STALE, false);
		for (Crossing crossing : crossings(engagement, model)) {
			// a quiet spell already alerted stays one alert, whatever is backdated into
			// it
			if (spellRaised && crossing.kind().equals(AlertDetector.ENGAGEMENT_STALE)) {
				continue;
			}
			if (crossing.at().isAfter(now)) {
				next = (next == null || crossing.at().isBefore(next)) ? crossing.at() : next;
				continue;
			}
			if (crossing.filedUnder() == null) {
				// not a document the projection writes: not swept until it changes
				throw new IllegalStateException("a promise made at no known instant: " + crossing.sequence());
			}
			alerts.add(new Raised(new TrustAlertRaised(engagementId,
					engagementId + ":" + crossing.kind() + ":" + crossing.sequence(), crossing.kind(), trustNow,
					trustNow, band, (crossing.eventId() != null) ? List.of(crossing.eventId()) : List.of(),
					crossing.at(), version), crossing.filedUnder()));
		}
		// the latest crossing last: it is the one the engagement shows for its kind
		alerts.sort(java.util.Comparator.comparing((Raised raised) -> raised.alert().occurredAt())
			.thenComparing((raised) -> raised.alert().alertId()));
		return new Due(alerts, next);
	}

	/**
	 * The crossings of an engagement at its current sequence that have come by
	 * {@code now}, whether or not a sweep has raised their alerts yet: the events whose
	 * points those alerts belong to (which a reduced timeline keeps), how many crossings
	 * that is, and the next one ({@code null} for none). At one sequence every crossing
	 * is a fixed instant, so the count only grows as time passes: with the sequence, it
	 * says which of the engagement's time-raised alerts an answer has taken in. A quiet
	 * spell whose alert was raised counts still, so that the count does not fall when a
	 * sweep files it; an event backdated into such a spell moves its crossing, which then
	 * counts although no second alert is raised for it.
	 */
	public static Passed passed(Document engagement, ScoringModel model, Instant now) {
		if (!open(engagement)) {
			return new Passed(Set.of(), 0, null);
		}
		Set<Long> sequences = new HashSet<>();
		int count = 0;
		Instant next = null;
		for (Crossing crossing : crossings(engagement, model)) {
			if (crossing.at().isAfter(now)) {
				next = (next == null || crossing.at().isBefore(next)) ? crossing.at() : next;
			}
			else {
				sequences.add(crossing.sequence());
				count++;
			}
		}
		return new Passed(Set.copyOf(sequences), count, next);
	}

	/** Open and scored: only such an engagement has crossings. */
	private static boolean open(Document engagement) {
		Document scores = engagement.get("scores", Document.class);
		return "OPEN".equals(engagement.getString("status")) && scores != null && scores.get("trust") instanceof Number;
	}

	/**
	 * Every crossing of an open engagement at its current sequence, passed or to come:
	 * the quiet spell after its last event and each open promise's overdue date.
	 */
	private static List<Crossing> crossings(Document engagement, ScoringModel model) {
		List<Crossing> crossings = new ArrayList<>();
		Date lastEventAt = engagement.getDate("lastEventAt");
		if (lastEventAt != null) {
			Number sequence = engagement.get(EngagementDocuments.LAST_EVENT_SEQUENCE, Number.class);
			long last = (sequence != null) ? sequence.longValue()
					: engagement.get("lastSequence", Number.class).longValue();
			crossings.add(new Crossing(AlertDetector.ENGAGEMENT_STALE,
					lastEventAt.toInstant().plus(Duration.ofDays(model.staleAfterDays())), last,
					engagement.getString(EngagementDocuments.LAST_EVENT_ID), lastEventAt.toInstant()));
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
				Date madeAt = promise.getDate("madeAt");
				crossings.add(new Crossing(AlertDetector.PROMISE_OVERDUE, dueBy.toInstant().plus(allowed),
						sequence.longValue(), promise.getString("eventId"), (madeAt != null) ? madeAt.toInstant()
								: (lastEventAt != null) ? lastEventAt.toInstant() : null));
			}
		}
		return crossings;
	}

	/**
	 * A moment a condition begins: its alert's kind, the event whose point the alert
	 * belongs to (its sequence and id) and the instant whose month the alert is filed
	 * under: when that event occurred (for a promise that does not say, the last event;
	 * {@code null} if neither is known).
	 */
	private record Crossing(String kind, Instant at, long sequence, String eventId, Instant filedUnder) {
	}

	/**
	 * The crossings passed by an instant: the sequences of their events, how many, and
	 * the next crossing ({@code null} for none).
	 */
	public record Passed(Set<Long> sequences, int count, Instant next) {
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
