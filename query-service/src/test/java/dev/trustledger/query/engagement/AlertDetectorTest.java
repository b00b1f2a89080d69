package dev.trustledger.query.engagement;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.Party;
import dev.trustledger.events.alert.TrustAlertRaised;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.partnership.StoodByPartner;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.events.responsibility.BlameDeflected;
import dev.trustledger.events.responsibility.ResponsibilityTaken;
import dev.trustledger.scoring.ScorableEvent;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AlertDetectorTest {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private final ScoringEngine engine = new ScoringEngine(ScoringModel.defaultModel());

	private final List<ScorableEvent> events = new ArrayList<>();

	private AlertDetector.State state = AlertDetector.State.NONE;

	private final List<TrustAlertRaised> raised = new ArrayList<>();

	@Test
	void eachAlertIsRaisedOncePerCrossingAndRearmsWhenItsConditionClears() {
		record(new EngagementOpened("e", "Client", "Team", "Lead", null, T0, "alice"));
		for (int day = 1; day <= 6; day++) {
			record(broken(day));
		}
		assertThat(this.raised).extracting(TrustAlertRaised::kind)
			.containsExactlyInAnyOrder(AlertDetector.TRUST_DROP, AlertDetector.ENTERED_AT_RISK);
		assertThat(this.raised).allSatisfy((alert) -> assertThat(alert.causedBy()).isNotEmpty());

		// a long good stretch: the engagement leaves at-risk and the drop leaves the
		// window
		for (int day = 60; day <= 400; day += 10) {
			record(new ResponsibilityTaken("e", "r" + day, Party.VENDOR, null, 5, null, at(day), "alice"));
			record(new StoodByPartner("e", "s" + day, Party.VENDOR, 5, null, at(day).plusSeconds(60), "alice"));
		}
		assertThat(this.state).isEqualTo(AlertDetector.State.NONE);
		int before = this.raised.size();

		for (int day = 500; day <= 505; day++) {
			record(broken(day));
			record(new BlameDeflected("e", "d" + day, Party.VENDOR, null, 5, null, at(day).plusSeconds(60), "alice"));
		}
		assertThat(this.raised.subList(before, this.raised.size())).extracting(TrustAlertRaised::kind)
			.contains(AlertDetector.TRUST_DROP);
		assertThat(this.raised).extracting(TrustAlertRaised::alertId).doesNotHaveDuplicates();
	}

	private void record(EngagementEvent event) {
		this.events.add(new ScorableEvent(this.events.size(), "event-" + this.events.size(), event));
		AlertDetector.Result result = AlertDetector.detect("e", this.engine.score(this.events), this.state,
				this.engine.model().alerts());
		this.raised.addAll(result.alerts());
		this.state = result.state();
	}

	private static PromiseBroken broken(int day) {
		return new PromiseBroken("e", "b" + day, null, Party.VENDOR, 5, null, at(day), "alice");
	}

	private static Instant at(int day) {
		return T0.plus(Duration.ofDays(day));
	}

}
