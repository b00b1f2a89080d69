package dev.trustledger.query.alert;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.Party;
import dev.trustledger.events.alert.TrustAlertRaised;
import dev.trustledger.events.engagement.EngagementClosed;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.partnership.StoodByPartner;
import dev.trustledger.events.promise.PromiseKept;
import dev.trustledger.events.promise.PromiseMade;
import dev.trustledger.query.projection.EngagementFold;
import dev.trustledger.query.projection.RecordedEvent;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the passing of time raises, on engagements folded from events as the projection
 * folds them: the crossing is the moment the condition began, whatever the instant it is
 * noticed; the ids make each crossing one alert.
 */
class DeadlinesTest {

	private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	private final ScoringModel model = ScoringModel.defaultModel();

	private final EngagementFold fold = new EngagementFold("e", new ScoringEngine(this.model));

	private long sequence;

	@Test
	void anEngagementGoesStaleTheStalePeriodAfterItsLastEventWhateverTheSweepsInstant() {
		record(new EngagementOpened("e", "Client", "Team", "Lead", "Sam", T0, "alice"));
		record(new StoodByPartner("e", "s1", Party.VENDOR, 3, null, day(10), "alice"));
		// recorded last, occurred earlier: not the event the quiet started after
		record(new StoodByPartner("e", "s2", Party.VENDOR, 3, null, day(5), "alice"));
		Instant quiet = day(10 + this.model.staleAfterDays());

		Deadlines.Due before = due(quiet.minusSeconds(1));
		assertThat(before.alerts()).isEmpty();
		assertThat(before.next()).isEqualTo(quiet);
		for (Instant noticed : new Instant[] { quiet, quiet.plus(Duration.ofDays(40)) }) {
			assertThat(due(noticed).alerts()).singleElement()
				.satisfies((raised) -> assertThat(raised.filedUnder()).as("among the alerts of its last event's month")
					.isEqualTo(day(10)))
				.extracting(Deadlines.Raised::alert)
				.satisfies((alert) -> {
					assertThat(alert.kind()).isEqualTo(AlertDetector.ENGAGEMENT_STALE);
					assertThat(alert.alertId()).isEqualTo("e:ENGAGEMENT_STALE:1");
					assertThat(alert.occurredAt()).isEqualTo(quiet);
					assertThat(alert.causedBy()).containsExactly("event-1");
					assertThat(alert.modelVersion()).isEqualTo(this.model.version());
				});
		}

		Document raisedOnce = new Document(this.fold.engagement());
		raisedOnce.put("alertState", new Document("stale", true));
		assertThat(Deadlines.due(raisedOnce, this.model, quiet.plus(Duration.ofDays(1))).alerts())
			.as("a spell already alerted, whatever is backdated into it")
			.isEmpty();

		record(new EngagementClosed("e", null, day(11), "alice"));
		assertThat(alerts(quiet.plus(Duration.ofDays(400)))).as("a closed engagement is not stale").isEmpty();
	}

	@Test
	void aPromiseIsOverdueTheModelsDaysAfterItsDueDateUntilItIsKept() {
		record(new EngagementOpened("e", "Client", "Team", "Lead", "Sam", T0, "alice"));
		record(new PromiseMade("e", "p1", "p1", Party.VENDOR, 3, "the plan", day(30), day(1), "alice"));
		record(new PromiseMade("e", "p2", "p2", Party.CLIENT, 3, "the data", day(20), day(2), "alice"));
		record(new PromiseMade("e", "p3", "p3", Party.VENDOR, 3, "the report", day(60), day(3), "alice"));
		Duration allowed = Duration.ofDays(this.model.alerts().promiseOverdueDays());

		Deadlines.Due early = due(day(20));
		assertThat(early.alerts()).isEmpty();
		assertThat(early.next()).isEqualTo(day(20).plus(allowed));

		Deadlines.Due later = due(day(45));
		assertThat(later.alerts()).extracting(Deadlines.Raised::filedUnder).containsExactly(day(2), day(1));
		assertThat(alerts(day(45))).extracting(TrustAlertRaised::alertId)
			.as("earliest crossing first, each under the sequence of the promise's event")
			.containsExactly("e:PROMISE_OVERDUE:2", "e:PROMISE_OVERDUE:1");
		assertThat(alerts(day(45))).extracting(TrustAlertRaised::occurredAt)
			.containsExactly(day(20).plus(allowed), day(30).plus(allowed));
		assertThat(alerts(day(45))).extracting(TrustAlertRaised::causedBy)
			.containsExactly(java.util.List.of("event-2"), java.util.List.of("event-1"));
		assertThat(later.next()).isEqualTo(day(60).plus(allowed));

		record(new PromiseKept("e", "k2", "p2", Party.CLIENT, 3, null, day(46), "alice"));
		assertThat(alerts(day(47))).extracting(TrustAlertRaised::alertId).containsExactly("e:PROMISE_OVERDUE:1");
	}

	@Test
	void theCrossingsPassedCountEveryOneThatHasComeWhetherOrNotItsAlertWasRaised() {
		record(new EngagementOpened("e", "Client", "Team", "Lead", "Sam", T0, "alice"));
		record(new PromiseMade("e", "p1", "p1", Party.VENDOR, 3, "the plan", day(30), day(1), "alice"));
		record(new PromiseMade("e", "p2", "p2", Party.CLIENT, 3, "the data", day(20), day(2), "alice"));
		record(new StoodByPartner("e", "s3", Party.VENDOR, 3, null, day(3), "alice"));
		Duration allowed = Duration.ofDays(this.model.alerts().promiseOverdueDays());
		Instant quiet = day(3 + this.model.staleAfterDays());
		Instant secondOverdue = day(20).plus(allowed);
		Instant firstOverdue = day(30).plus(allowed);
		// each crossing, as the instants fall, whichever comes first under this model
		java.util.List<Instant> crossings = java.util.stream.Stream.of(quiet, secondOverdue, firstOverdue)
			.sorted()
			.toList();

		Deadlines.Passed none = passed(crossings.get(0).minusSeconds(1));
		assertThat(none.count()).isZero();
		assertThat(none.sequences()).isEmpty();
		assertThat(none.next()).isEqualTo(crossings.get(0));
		for (int i = 0; i < crossings.size(); i++) {
			Deadlines.Passed at = passed(crossings.get(i));
			assertThat(at.count()).as("at crossing %d", i).isEqualTo(i + 1);
			assertThat(at.next()).isEqualTo((i + 1 < crossings.size()) ? crossings.get(i + 1) : null);
		}
		Instant all = crossings.get(2);
		assertThat(passed(all).sequences()).as("the promises' events and the event the quiet began after")
			.containsExactlyInAnyOrder(1L, 2L, 3L);

		Document raised = new Document(this.fold.engagement());
		raised.put("alertState", new Document("stale", true));
		assertThat(Deadlines.due(raised, this.model, all).alerts()).hasSize(2);
		assertThat(Deadlines.passed(raised, this.model, all).count())
			.as("a spell whose alert was raised is still a crossing passed: the count does not fall when a sweep files it")
			.isEqualTo(3);

		record(new PromiseKept("e", "k2", "p2", Party.CLIENT, 3, null, day(4), "alice"));
		// the quiet spell now begins a day later
		assertThat(passed(all.plus(Duration.ofDays(1))).sequences())
			.as("a kept promise crosses nothing; its keeping is the last event now")
			.containsExactlyInAnyOrder(1L, 4L);
		record(new EngagementClosed("e", null, day(5), "alice"));
		assertThat(passed(all)).isEqualTo(new Deadlines.Passed(java.util.Set.of(), 0, null));
	}

	@Test
	void aModelWithoutTheOverdueAllowanceGetsItsDefaultAndANegativeOneIsRefused() {
		String yaml = new String(readDefault(), StandardCharsets.UTF_8);
		String without = yaml.replaceAll("(?m)^\\s*promiseOverdueDays:.*$", "");
		assertThat(without).doesNotContain("promiseOverdueDays");
		assertThat(read(without).alerts().promiseOverdueDays()).isEqualTo(ScoringModel.Alerts.PROMISE_OVERDUE_DAYS);
		String negative = yaml.replaceAll("(?m)^(\\s*)promiseOverdueDays:.*$", "$1promiseOverdueDays: -1");
		assertThatThrownBy(() -> read(negative)).isInstanceOf(ScoringModel.InvalidModelException.class)
			.hasMessageContaining("alerts.promiseOverdueDays");
	}

	private java.util.List<TrustAlertRaised> alerts(Instant now) {
		return due(now).alerts().stream().map(Deadlines.Raised::alert).toList();
	}

	private Deadlines.Passed passed(Instant now) {
		return Deadlines.passed(this.fold.engagement(), this.model, now);
	}

	private Deadlines.Due due(Instant now) {
		Document engagement = this.fold.engagement();
		return Deadlines.due(engagement, this.model, now);
	}

	private void record(EngagementEvent event) {
		long next = this.sequence++;
		this.fold.accept(new RecordedEvent("event-" + next, "e", next, event.occurredAt(), "alice",
				event.getClass().getSimpleName(), event, "{}"));
	}

	private static Instant day(int day) {
		return T0.plus(Duration.ofDays(day));
	}

	private static byte[] readDefault() {
		try (var in = ScoringModel.class.getResourceAsStream(ScoringModel.DEFAULT_RESOURCE)) {
			return in.readAllBytes();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static ScoringModel read(String yaml) {
		return ScoringModel.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
	}

}
