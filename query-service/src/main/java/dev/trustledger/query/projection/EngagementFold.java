package dev.trustledger.query.projection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.trustledger.events.alert.TrustAlertRaised;
import dev.trustledger.query.alert.AlertDetector;
import dev.trustledger.query.alert.Alerts;
import dev.trustledger.scoring.ScorableEvent;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;
import org.bson.Document;

/**
 * One engagement folded in memory during a rebuild: the same steps, in the same order, as
 * the live projection takes for each arriving event, through the same
 * {@link EngagementDocuments} functions, but with the timeline kept in memory so that an
 * event costs a constant amount of work unless it is backdated. The documents come out
 * once, at the end.
 */
public final class EngagementFold {

	private final String engagementId;

	private final Document engagement;

	private final ScoringEngine.Timeline timeline;

	private final ScoringModel.Alerts alertSettings;

	/**
	 * The history's events by month, as they arrived; their documents are made when they
	 * are written, so a partition's fold does not hold them all at once.
	 */
	private final Map<String, List<RecordedEvent>> history = new LinkedHashMap<>();

	private final Map<String, Document> alerts = new LinkedHashMap<>();

	private final AlertDetector.Trail trail = new AlertDetector.Trail();

	private AlertDetector.State alertState = AlertDetector.State.NONE;

	private long last = -1;

	/**
	 * Every arrival applied, in order: to apply them again another way if a later fails.
	 */
	private final List<RecordedEvent> arrivals = new ArrayList<>();

	public EngagementFold(String engagementId, ScoringEngine engine) {
		this.engagementId = engagementId;
		this.engagement = new Document("_id", engagementId);
		this.timeline = engine.timeline();
		this.alertSettings = engine.model().alerts();
	}

	/** Applies one arrival; a redelivered one changes nothing. */
	public boolean accept(RecordedEvent recorded) {
		if (recorded.sequence() <= this.last) {
			return false;
		}
		EngagementDocuments.applyFacts(this.engagement, recorded);
		String month = null;
		AlertDetector.State state = null;
		if (recorded.known()) {
			month = EngagementDocuments.month(recorded.event().occurredAt());
			this.history.computeIfAbsent(month, (key) -> new ArrayList<>()).add(recorded);
			int changed = this.timeline
				.add(new ScorableEvent(recorded.sequence(), recorded.eventId(), recorded.event()));
			this.trail.update(this.timeline.points(), changed);
			AlertDetector.Result raised = this.trail.detect(this.engagementId, this.timeline.points(), this.alertState,
					this.alertSettings, EngagementDocuments.sponsorLost(this.engagement));
			for (TrustAlertRaised alert : raised.alerts()) {
				this.alerts.putIfAbsent(Alerts.key(alert), Alerts.document(alert));
			}
			EngagementDocuments.applyAlerts(this.engagement, raised.alerts());
			this.alertState = raised.state();
			state = this.alertState;
		}
		EngagementDocuments.applyArrival(this.engagement, recorded, this.last, month, state);
		this.last = recorded.sequence();
		this.arrivals.add(recorded);
		return true;
	}

	/** The arrivals applied so far, in order. */
	public List<RecordedEvent> arrivals() {
		return this.arrivals;
	}

	public Document engagement() {
		if (!this.timeline.points().isEmpty()) {
			EngagementDocuments.applyScores(this.engagement, this.timeline.points());
			this.engagement.put(TimelineLayout.FIELD,
					TimelineLayout.of(EngagementDocuments.monthsOf(this.timeline.points())).starts());
		}
		return this.engagement;
	}

	public List<Document> history() {
		List<Document> buckets = new ArrayList<>();
		this.history.forEach((month, arrivals) -> {
			Document events = new Document();
			for (RecordedEvent recorded : arrivals) {
				events.put(Long.toString(recorded.sequence()), EngagementDocuments.historyEntry(recorded));
			}
			buckets.add(
					new Document("_id", EngagementDocuments.bucket(this.engagementId, month)).append("events", events));
		});
		return buckets;
	}

	public List<Document> timeline() {
		return new ArrayList<>(
				EngagementDocuments.timelineBuckets(this.engagementId, this.timeline.points(), "").values());
	}

	public List<Document> checkpoints() {
		return new ArrayList<>(EngagementDocuments
			.checkpointBuckets(this.engagementId, this.timeline.points(), this.timeline.checkpoints(), "")
			.values());
	}

	public List<Document> alerts() {
		return new ArrayList<>(this.alerts.values());
	}

	/** The engagement's alerts on one document a month, if it raised any. */
	public List<Document> alertsByEngagement() {
		return Alerts.byEngagement(this.engagementId, this.alerts);
	}

}
