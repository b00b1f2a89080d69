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
 * that clears re-arms its alert. Pure: no clock, no I/O.
 */
public final class AlertDetector {

	public static final String TRUST_DROP = "TRUST_DROP";

	public static final String ENTERED_AT_RISK = "ENTERED_AT_RISK";

	private AlertDetector() {
	}

	public static Result detect(String engagementId, List<ScorePoint> points, State raised,
			ScoringModel.Alerts settings) {
		ScorePoint last = points.get(points.size() - 1);
		Instant windowStart = windowStart(last, settings);
		BigDecimal peak = last.trust();
		// points are in occurrence order: only the window's tail is read
		for (int i = points.size() - 1; i >= 0 && !points.get(i).occurredAt().isBefore(windowStart); i--) {
			peak = peak.max(points.get(i).trust());
		}
		return decide(engagementId, points, peak, BigDecimal.valueOf(settings.dropPoints()), raised, settings);
	}

	private static Instant windowStart(ScorePoint last, ScoringModel.Alerts settings) {
		return last.occurredAt().minus(Duration.ofDays(settings.windowDays()));
	}

	/**
	 * Which alerts the latest point calls for, given the highest trust within the window;
	 * what caused them is read only when there is one.
	 */
	private static Result decide(String engagementId, List<ScorePoint> points, BigDecimal peak, BigDecimal dropPoints,
			State raised, ScoringModel.Alerts settings) {
		ScorePoint last = points.get(points.size() - 1);
		boolean dropped = peak.subtract(last.trust()).compareTo(dropPoints) >= 0;
		boolean atRisk = last.band() == Band.AT_RISK;
		State state = new State(dropped, atRisk);
		boolean raiseDrop = dropped && !raised.dropped();
		boolean raiseAtRisk = atRisk && !raised.atRisk();
		if (!raiseDrop && !raiseAtRisk) {
			return new Result(List.of(), state);
		}
		Instant windowStart = windowStart(last, settings);
		List<String> causedBy = new ArrayList<>();
		for (int i = points.size() - 1; i >= 0 && !points.get(i).occurredAt().isBefore(windowStart); i--) {
			if (points.get(i).explanation().trustChange().signum() < 0) {
				causedBy.add(points.get(i).eventId());
			}
		}
		java.util.Collections.reverse(causedBy);
		List<TrustAlertRaised> alerts = new ArrayList<>();
		if (raiseDrop) {
			alerts.add(alert(engagementId, TRUST_DROP, last, peak, causedBy));
		}
		if (raiseAtRisk) {
			alerts.add(alert(engagementId, ENTERED_AT_RISK, last, peak, causedBy));
		}
		return new Result(alerts, state);
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
	public record State(boolean dropped, boolean atRisk) {

		public static final State NONE = new State(false, false);

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
		public Result detect(String engagementId, List<ScorePoint> points, State raised, ScoringModel.Alerts settings) {
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
			return decide(engagementId, points, points.get(peak).trust(), this.dropPoints, raised, settings);
		}

	}

}
