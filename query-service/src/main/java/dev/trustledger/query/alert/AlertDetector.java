package dev.trustledger.query.alert;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.trustledger.events.alert.TrustAlertRaised;
import dev.trustledger.scoring.Band;
import dev.trustledger.scoring.ScorePoint;
import dev.trustledger.scoring.ScoringModel;

/**
 * Decides, from an engagement's timeline and what was already raised, which alerts the
 * latest state calls for: once per crossing, not on every event after it. A condition
 * that clears re-arms its alert. The conditions: trust fell by the model's
 * {@code dropPoints} within {@code windowDays} ({@link #TRUST_DROP}); trust is in the
 * at-risk band ({@link #ENTERED_AT_RISK}); mutual responsibility is below
 * {@code mutualLowBelow} ({@link #MUTUAL_RESPONSIBILITY_LOW}, caused by the events in the
 * window that lowered it); the engagement is without the sponsor it had
 * ({@link #SPONSOR_LOST}, from its facts). Pure: no clock, no I/O.
 */
public final class AlertDetector {

	public static final String TRUST_DROP = "TRUST_DROP";

	public static final String ENTERED_AT_RISK = "ENTERED_AT_RISK";

	/**
	 * Mutual responsibility entered its low band (the model's {@code mutualLowBelow}).
	 */
	public static final String MUTUAL_RESPONSIBILITY_LOW = "MUTUAL_RESPONSIBILITY_LOW";

	/**
	 * The engagement lost its sponsor and has not gained one since (an engagement opened
	 * without one has not lost one).
	 */
	public static final String SPONSOR_LOST = "SPONSOR_LOST";

	/**
	 * Nothing has happened in the engagement for the model's {@code staleAfterDays}:
	 * raised by the passing of time ({@link Deadlines}), not by an event.
	 */
	public static final String ENGAGEMENT_STALE = "ENGAGEMENT_STALE";

	/**
	 * A promise was neither kept nor broken {@code alerts.promiseOverdueDays} after its
	 * due date: raised by the passing of time ({@link Deadlines}).
	 */
	public static final String PROMISE_OVERDUE = "PROMISE_OVERDUE";

	/** Every kind, in the order they are raised. */
	public static final List<String> KINDS = List.of(TRUST_DROP, ENTERED_AT_RISK, MUTUAL_RESPONSIBILITY_LOW,
			SPONSOR_LOST, ENGAGEMENT_STALE, PROMISE_OVERDUE);

	private AlertDetector() {
	}

	/**
	 * @param sponsorLost whether the engagement is without the sponsor it had, after the
	 * event just applied (its facts, not its scores)
	 */
	public static Result detect(String engagementId, List<ScorePoint> points, State raised,
			ScoringModel.Alerts settings, boolean sponsorLost) {
		ScorePoint last = points.get(points.size() - 1);
		Instant windowStart = windowStart(last, settings);
		BigDecimal peak = last.trust();
		// points are in occurrence order: only the window's tail is read
		for (int i = points.size() - 1; i >= 0 && !points.get(i).occurredAt().isBefore(windowStart); i--) {
			peak = peak.max(points.get(i).trust());
		}
		return decide(engagementId, points, peak, BigDecimal.valueOf(settings.dropPoints()), raised, settings,
				sponsorLost);
	}

	private static Instant windowStart(ScorePoint last, ScoringModel.Alerts settings) {
		return last.occurredAt().minus(Duration.ofDays(settings.windowDays()));
	}

	/**
	 * Which alerts the latest point calls for, given the highest trust within the window;
	 * what caused them is read only when there is one.
	 */
	private static Result decide(String engagementId, List<ScorePoint> points, BigDecimal peak, BigDecimal dropPoints,
			State raised, ScoringModel.Alerts settings, boolean sponsorLost) {
		ScorePoint last = points.get(points.size() - 1);
		boolean dropped = peak.subtract(last.trust()).compareTo(dropPoints) >= 0;
		boolean atRisk = last.band() == Band.AT_RISK;
		boolean mutualLow = last.mutualResponsibility().doubleValue() < settings.mutualLowBelow();
		// what the passing of time raised is kept: the projection clears it (Deadlines)
		State state = new State(dropped, atRisk, mutualLow, sponsorLost, raised.stale(), raised.promiseOverdue());
		boolean raiseDrop = dropped && !raised.dropped();
		boolean raiseAtRisk = atRisk && !raised.atRisk();
		boolean raiseMutualLow = mutualLow && !raised.mutualLow();
		boolean raiseSponsorLost = sponsorLost && !raised.sponsorLost();
		if (!raiseDrop && !raiseAtRisk && !raiseMutualLow && !raiseSponsorLost) {
			return new Result(List.of(), state);
		}
		List<TrustAlertRaised> alerts = new ArrayList<>();
		if (raiseDrop || raiseAtRisk) {
			List<String> causedBy = causes(points, windowStart(last, settings), false);
			if (raiseDrop) {
				alerts.add(alert(engagementId, TRUST_DROP, last, peak, causedBy));
			}
			if (raiseAtRisk) {
				alerts.add(alert(engagementId, ENTERED_AT_RISK, last, peak, causedBy));
			}
		}
		if (raiseMutualLow) {
			alerts.add(alert(engagementId, MUTUAL_RESPONSIBILITY_LOW, last, peak,
					causes(points, windowStart(last, settings), true)));
		}
		if (raiseSponsorLost) {
			alerts.add(alert(engagementId, SPONSOR_LOST, last, peak, lastSponsorLost(points)));
		}
		return new Result(alerts, state);
	}

	/**
	 * The loss of a sponsor recorded last (the highest sequence, whatever its
	 * occurred-at): the event that made the condition hold, which a sponsor-lost alert
	 * names.
	 */
	private static List<String> lastSponsorLost(List<ScorePoint> points) {
		ScorePoint latest = null;
		for (ScorePoint point : points) {
			if ("SponsorLost".equals(point.eventType()) && (latest == null || point.sequence() > latest.sequence())) {
				latest = point;
			}
		}
		return (latest != null) ? List.of(latest.eventId()) : List.of();
	}

	/**
	 * The events in the window that lowered trust, or mutual responsibility, in
	 * occurrence order.
	 */
	private static List<String> causes(List<ScorePoint> points, Instant windowStart, boolean mutual) {
		List<String> causedBy = new ArrayList<>();
		for (int i = points.size() - 1; i >= 0 && !points.get(i).occurredAt().isBefore(windowStart); i--) {
			ScorePoint.Explanation explanation = points.get(i).explanation();
			if ((mutual ? explanation.mutualChange() : explanation.trustChange()).signum() < 0) {
				causedBy.add(points.get(i).eventId());
			}
		}
		java.util.Collections.reverse(causedBy);
		return causedBy;
	}

	private static TrustAlertRaised alert(String engagementId, String kind, ScorePoint last, BigDecimal peak,
			List<String> causedBy) {
		return new TrustAlertRaised(engagementId, engagementId + ":" + kind + ":" + last.sequence(), kind, last.trust(),
				peak, last.band().name(), List.copyOf(causedBy), last.occurredAt(), last.modelVersion());
	}

	/**
	 * Which conditions held after the last event: an alert is raised when its condition
	 * starts to hold. {@code stale} and {@code promiseOverdue} are set when the passing
	 * of time raised their alert and cleared by the event that ends the condition
	 * ({@link Deadlines}); a rebuild, which does not follow the clock, leaves them false
	 * until its sweep.
	 */
	public record State(boolean dropped, boolean atRisk, boolean mutualLow, boolean sponsorLost, boolean stale,
			boolean promiseOverdue) {

		public static final State NONE = new State(false, false, false, false, false, false);

		/** Whether the condition of an alert of this kind still holds. */
		public boolean holds(String kind) {
			return switch (kind) {
				case TRUST_DROP -> this.dropped;
				case ENTERED_AT_RISK -> this.atRisk;
				case MUTUAL_RESPONSIBILITY_LOW -> this.mutualLow;
				case SPONSOR_LOST -> this.sponsorLost;
				case ENGAGEMENT_STALE -> this.stale;
				case PROMISE_OVERDUE -> this.promiseOverdue;
				default -> false;
			};
		}

	}

	public record Result(List<TrustAlertRaised> alerts, State state) {
	}

	/**
	 * One engagement's points as a rebuild folds them, with their times and trust kept
	 * side by side in arrays: detecting on every event then reads the window from a few
	 * cache lines instead of following each point's objects. Same answers as
	 * {@link AlertDetector#detect}.
	 */
	public static final class Trail {

		private long[] seconds = new long[64];

		private int[] nanos = new int[64];

		/** Trust in hundredths of a point. */
		private long[] trust = new long[64];

		private int size;

		/**
		 * The settings' drop, once: it is a double, and made decimal through its text.
		 */
		private ScoringModel.Alerts dropFor;

		private BigDecimal dropPoints;

		/** Takes the points from index {@code from} on, which may have changed. */
		public void update(List<ScorePoint> points, int from) {
			int length = points.size();
			if (length > this.seconds.length) {
				int capacity = Math.max(length, this.seconds.length * 2);
				this.seconds = Arrays.copyOf(this.seconds, capacity);
				this.nanos = Arrays.copyOf(this.nanos, capacity);
				this.trust = Arrays.copyOf(this.trust, capacity);
			}
			for (int i = from; i < length; i++) {
				ScorePoint point = points.get(i);
				this.seconds[i] = point.occurredAt().getEpochSecond();
				this.nanos[i] = point.occurredAt().getNano();
				this.trust[i] = point.trust().setScale(2, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
			}
			this.size = length;
		}

		/**
		 * {@link AlertDetector#detect} over the points last {@linkplain #update updated}.
		 */
		public Result detect(String engagementId, List<ScorePoint> points, State raised, ScoringModel.Alerts settings,
				boolean sponsorLost) {
			int last = this.size - 1;
			Instant start = windowStart(points.get(last), settings);
			long startSeconds = start.getEpochSecond();
			int startNanos = start.getNano();
			int peak = last;
			for (int i = last - 1; i >= 0 && (this.seconds[i] > startSeconds
					|| (this.seconds[i] == startSeconds && this.nanos[i] >= startNanos)); i--) {
				if (this.trust[i] > this.trust[peak]) {
					peak = i;
				}
			}
			if (settings != this.dropFor) {
				this.dropFor = settings;
				this.dropPoints = BigDecimal.valueOf(settings.dropPoints());
			}
			return decide(engagementId, points, points.get(peak).trust(), this.dropPoints, raised, settings,
					sponsorLost);
		}

	}

}
