package dev.trustledger.query.alert;

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
import dev.trustledger.events.sponsor.SponsorGained;
import dev.trustledger.events.sponsor.SponsorLost;
import dev.trustledger.query.fixtures.RandomIncidents;
import dev.trustledger.scoring.ScorableEvent;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScorePoint;
import dev.trustledger.scoring.ScoringModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AlertDetectorTest {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private final ScoringEngine engine = new ScoringEngine(ScoringModel.defaultModel());

	private final List<ScorableEvent> events = new ArrayList<>();

	private AlertDetector.State state = AlertDetector.State.NONE;

	private final List<TrustAlertRaised> raised = new ArrayList<>();

	private List<TrustAlertRaised> lastRaised = List.of();

	private boolean sponsorLost;

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

	@Test
	void mutualResponsibilityEnteringItsLowBandRaisesItsAlertOnceAndRearmsWhenItLeaves() {
		double below = this.engine.model().alerts().mutualLowBelow();
		record(new EngagementOpened("e", "Client", "Team", "Lead", null, T0, "alice"));
		List<Boolean> low = new ArrayList<>();
		List<Integer> raisedAt = new ArrayList<>();
		// the client deflects blame again and again, then carries its end for a while,
		// then deflects again: low, out of it, low again
		for (int day = 1; day <= 140; day++) {
			boolean deflecting = day <= 15 || day > 75;
			record(deflecting ? new BlameDeflected("e", "d" + day, Party.CLIENT, null, 5, null, at(day), "alice")
					: new ResponsibilityTaken("e", "r" + day, Party.CLIENT, null, 5, null, at(day), "alice"));
			List<ScorePoint> points = this.engine.score(this.events);
			low.add(points.get(points.size() - 1).mutualResponsibility().doubleValue() < below);
			if (this.lastRaised.stream()
				.anyMatch((alert) -> alert.kind().equals(AlertDetector.MUTUAL_RESPONSIBILITY_LOW))) {
				raisedAt.add(day);
			}
		}
		// raised on exactly the days the condition started to hold
		List<Integer> crossings = new ArrayList<>();
		for (int i = 0; i < low.size(); i++) {
			if (low.get(i) && (i == 0 || !low.get(i - 1))) {
				crossings.add(i + 1);
			}
		}
		assertThat(crossings).as("the history enters the low band twice: " + low).hasSize(2);
		assertThat(raisedAt).isEqualTo(crossings);
		TrustAlertRaised first = this.raised.stream()
			.filter((alert) -> alert.kind().equals(AlertDetector.MUTUAL_RESPONSIBILITY_LOW))
			.findFirst()
			.orElseThrow();
		assertThat(first.causedBy()).isNotEmpty().allSatisfy((id) -> assertThat(id).startsWith("event-"));
		assertThat(this.state.mutualLow()).isTrue();
	}

	@Test
	void aLostSponsorIsAlertedOnceUntilAnotherIsGainedAndLost() {
		record(new EngagementOpened("e", "Client", "Team", "Lead", "Sam", T0, "alice"));
		record(new SponsorLost("e", "lost-1", "Sam", 3, "left the company", at(1), "alice"));
		record(new StoodByPartner("e", "s2", Party.VENDOR, 3, null, at(2), "alice"));
		record(new SponsorGained("e", "gained-3", "Kim", null, at(3), "alice"));
		record(new SponsorLost("e", "lost-4", "Kim", 3, "reorganised", at(4), "alice"));

		List<TrustAlertRaised> lost = this.raised.stream()
			.filter((alert) -> alert.kind().equals(AlertDetector.SPONSOR_LOST))
			.toList();
		assertThat(lost).extracting(TrustAlertRaised::alertId).containsExactly("e:SPONSOR_LOST:1", "e:SPONSOR_LOST:4");
		assertThat(lost).extracting(TrustAlertRaised::causedBy).containsExactly(List.of("event-1"), List.of("event-4"));
		assertThat(this.state.sponsorLost()).isTrue();
	}

	@Test
	void anEngagementOpenedWithoutASponsorHasNotLostOne() {
		record(new EngagementOpened("e", "Client", "Team", "Lead", null, T0, "alice"));
		record(new StoodByPartner("e", "s1", Party.VENDOR, 3, null, at(1), "alice"));

		assertThat(this.raised).extracting(TrustAlertRaised::kind).doesNotContain(AlertDetector.SPONSOR_LOST);
	}

	@Test
	void aRebuildsTrailRaisesWhatTheDetectorRaisesOnEveryEventIncludingBackdatedOnes() {
		java.util.Random random = new java.util.Random(3);
		int alerts = 0;
		for (int run = 0; run < 20; run++) {
			ScoringEngine.Timeline timeline = this.engine.timeline();
			AlertDetector.Trail trail = new AlertDetector.Trail();
			AlertDetector.State byDetector = AlertDetector.State.NONE;
			AlertDetector.State byTrail = AlertDetector.State.NONE;
			timeline.add(new ScorableEvent(0, "event-0",
					new EngagementOpened("e", "Client", "Team", "Lead", null, T0, "alice")));
			trail.update(timeline.points(), 0);
			Instant latest = T0;
			boolean sponsorLost = false;
			for (int sequence = 1; sequence < 300; sequence++) {
				Instant at;
				if (random.nextInt(8) == 0) {
					at = latest.minus(Duration.ofHours(random.nextInt(40 * 24)));
				}
				else {
					latest = latest.plus(Duration.ofHours(1 + random.nextInt(48)));
					at = latest;
				}
				EngagementEvent event = RandomIncidents.next(random, sequence, at);
				sponsorLost = (event instanceof SponsorLost) || (sponsorLost && !(event instanceof SponsorGained));
				int changed = timeline.add(new ScorableEvent(sequence, "event-" + sequence, event));
				trail.update(timeline.points(), changed);
				AlertDetector.Result expected = AlertDetector.detect("e", timeline.points(), byDetector,
						this.engine.model().alerts(), sponsorLost);
				AlertDetector.Result actual = trail.detect("e", timeline.points(), byTrail,
						this.engine.model().alerts(), sponsorLost);
				assertThat(actual).isEqualTo(expected);
				alerts += expected.alerts().size();
				byDetector = expected.state();
				byTrail = actual.state();
			}
		}
		// the histories did cross the thresholds, again and again
		assertThat(alerts).isGreaterThan(20);
	}

	private void record(EngagementEvent event) {
		this.events.add(new ScorableEvent(this.events.size(), "event-" + this.events.size(), event));
		this.sponsorLost = (event instanceof SponsorLost) || (this.sponsorLost && !(event instanceof SponsorGained));
		AlertDetector.Result result = AlertDetector.detect("e", this.engine.score(this.events), this.state,
				this.engine.model().alerts(), this.sponsorLost);
		this.raised.addAll(result.alerts());
		this.lastRaised = result.alerts();
		this.state = result.state();
	}

	private static PromiseBroken broken(int day) {
		return new PromiseBroken("e", "b" + day, null, Party.VENDOR, 5, null, at(day), "alice");
	}

	private static Instant at(int day) {
		return T0.plus(Duration.ofDays(day));
	}

}
