package dev.trustledger.scoring;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.Party;
import dev.trustledger.events.cooperation.InformationWithheld;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.outcome.ClientEscalated;
import dev.trustledger.events.outcome.Ending;
import dev.trustledger.events.outcome.EngagementEnded;
import dev.trustledger.events.outcome.RenewalDecided;
import dev.trustledger.events.outcome.RenewalDecision;
import dev.trustledger.events.partnership.ProblemStatementAgreed;
import dev.trustledger.events.partnership.StoodByPartner;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.events.promise.PromiseKept;
import dev.trustledger.events.responsibility.BlameDeflected;
import dev.trustledger.events.responsibility.ClientSharedBlame;
import dev.trustledger.events.responsibility.ResponsibilityTaken;
import dev.trustledger.events.sponsor.SponsorGained;
import dev.trustledger.events.sponsor.SponsorLost;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The properties the model promises (docs/scoring.md), each as a test. */
class ScoringEngineTest {

	private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

	private static final String ID = "e";

	private final ScoringEngine engine = new ScoringEngine(ScoringModel.defaultModel());

	@Test
	void hundredthsBecomeDecimalsOfScaleTwoSharedWithinAHundredPointsEitherWay() {
		for (long hundredths : new long[] { -100_01, -100_00, -1, 0, 1, 51_25, 100_00, 100_01, 1_000_000 }) {
			assertThat(ScoringEngine.centi(hundredths)).isEqualTo(BigDecimal.valueOf(hundredths, 2));
		}
		assertThat(ScoringEngine.centi(51_25)).isSameAs(ScoringEngine.centi(51_25));
		assertThat(ScoringEngine.centi(-100_00)).isSameAs(ScoringEngine.centi(-100_00));
	}

	@Nested
	class Trust {

		@Test
		void aNewEngagementStartsNeutral() {
			ScorePoint opened = last(history());
			assertThat(opened.trust()).isEqualByComparingTo("50.00");
			assertThat(opened.mutualResponsibility()).isEqualByComparingTo("50.00");
			assertThat(opened.band()).isEqualTo(Band.WATCH);
			assertThat(opened.modelVersion()).isEqualTo("v1");
		}

		@Test
		void reliabilityStaysUncertainOnSmallSamples() {
			ScorePoint oneKept = last(history(kept(1, Party.VENDOR, 3)));
			assertThat(oneKept.components().reliability()).isGreaterThan(new BigDecimal("50"))
				.isLessThan(new BigDecimal("70"));
			ScorePoint tenKept = last(history(repeat(10, (day) -> kept(day, Party.VENDOR, 3))));
			assertThat(tenKept.components().reliability()).isGreaterThan(oneKept.components().reliability())
				.isLessThan(new BigDecimal("100"));
		}

		@Test
		void trustIsLostFasterThanItIsRegained() {
			ScorePoint start = last(history());
			ScorePoint brokenThenKept = last(history(broken(1, Party.VENDOR, 3), kept(2, Party.VENDOR, 3)));
			assertThat(brokenThenKept.trust()).isLessThan(start.trust());
		}

		@Test
		void owningAMissCostsLessThanDeflectingItOrSilence() {
			BigDecimal owned = last(history(broken(1, Party.VENDOR, 4), taken(1, Party.VENDOR, 4))).trust();
			BigDecimal silent = last(history(broken(1, Party.VENDOR, 4))).trust();
			BigDecimal deflected = last(history(broken(1, Party.VENDOR, 4), deflected(1, Party.VENDOR, 4))).trust();
			assertThat(owned).isGreaterThan(silent);
			assertThat(silent).isGreaterThan(deflected);
		}

		@Test
		void aLongRunOfKeptPromisesRecoversTowardsNeverAboveTheEarlierLevel() {
			List<EngagementEvent> events = new ArrayList<>(repeat(5, (day) -> kept(day, Party.VENDOR, 3)));
			BigDecimal before = last(history(events.toArray(EngagementEvent[]::new))).trust();
			events.add(broken(6, Party.VENDOR, 4));
			BigDecimal after = last(history(events.toArray(EngagementEvent[]::new))).trust();
			BigDecimal previous = after;
			for (int day = 7; day < 60; day++) {
				events.add(kept(day, Party.VENDOR, 3));
				BigDecimal now = last(history(events.toArray(EngagementEvent[]::new))).trust();
				assertThat(now).isLessThanOrEqualTo(before);
				assertThat(now).isGreaterThanOrEqualTo(previous);
				previous = now;
			}
			assertThat(previous).isGreaterThan(after);
			assertThat(before.subtract(previous)).isLessThan(before.subtract(after).divide(BigDecimal.valueOf(4)));
		}

		@Test
		void aLostSponsorWeighsUntilANewOneIsGainedWhichRestoresPart() {
			BigDecimal before = last(history()).trust();
			BigDecimal lost = last(history(sponsorLost(1))).trust();
			BigDecimal stillLost = last(history(sponsorLost(1), openedAnchor(400))).trust();
			BigDecimal regained = last(history(sponsorLost(1), sponsorGained(2))).trust();
			assertThat(lost).isLessThan(before);
			assertThat(stillLost).isLessThan(before);
			assertThat(regained).isGreaterThan(lost).isLessThan(before);
		}

		@Test
		void deflectionByEitherPartyRaisesSelfOrientationAndLowersTrust() {
			ScorePoint start = last(history());
			for (Party party : Party.values()) {
				ScorePoint deflected = last(history(deflected(1, party, 3)));
				assertThat(deflected.components().selfOrientation())
					.isGreaterThan(start.components().selfOrientation());
				assertThat(deflected.trust()).isLessThan(start.trust());
			}
		}

		@Test
		void oldEvidenceWeighsLessAndSilenceDriftsTowardsNeutral() {
			List<ScorableEvent> events = scorable(opened(broken(1, Party.VENDOR, 5), broken(2, Party.VENDOR, 5)));
			BigDecimal soon = centi(
					ScoringEngineTest.this.engine.scoresAt(events, T0.plus(Duration.ofDays(3))).trust());
			BigDecimal halfYear = centi(
					ScoringEngineTest.this.engine.scoresAt(events, T0.plus(Duration.ofDays(183))).trust());
			BigDecimal years = centi(
					ScoringEngineTest.this.engine.scoresAt(events, T0.plus(Duration.ofDays(3000))).trust());
			assertThat(soon).isLessThan(halfYear);
			assertThat(halfYear).isLessThan(years);
			assertThat(years.subtract(new BigDecimal("50")).abs()).isLessThan(new BigDecimal("1"));
		}

		@Test
		void severityScalesEveryEffect() {
			for (int severity = 1; severity < 5; severity++) {
				assertThat(last(history(broken(1, Party.VENDOR, severity + 1))).trust())
					.isLessThan(last(history(broken(1, Party.VENDOR, severity))).trust());
				assertThat(last(history(deflected(1, Party.CLIENT, severity + 1))).trust())
					.isLessThan(last(history(deflected(1, Party.CLIENT, severity))).trust());
				assertThat(last(history(stood(1, Party.VENDOR, severity + 1))).trust())
					.isGreaterThan(last(history(stood(1, Party.VENDOR, severity))).trust());
			}
		}

	}

	@Nested
	class MutualResponsibility {

		@Test
		void highOnlyWhenBothSidesOwnTheirMisses() {
			ScorePoint both = last(history(broken(1, Party.VENDOR, 3), taken(1, Party.VENDOR, 3), shared(2, 3),
					kept(3, Party.CLIENT, 3), taken(4, Party.CLIENT, 3), taken(5, Party.VENDOR, 3)));
			ScorePoint vendorOnly = last(
					history(broken(1, Party.VENDOR, 3), taken(1, Party.VENDOR, 3), taken(4, Party.VENDOR, 3),
							taken(5, Party.VENDOR, 3), deflected(6, Party.CLIENT, 3), broken(7, Party.CLIENT, 3)));
			assertThat(both.mutualResponsibility()).isGreaterThan(new BigDecimal("60"));
			assertThat(vendorOnly.vendorOwnership()).isGreaterThan(both.clientOwnership().min(new BigDecimal("60")));
			assertThat(vendorOnly.mutualResponsibility()).isLessThan(new BigDecimal("50"))
				.isLessThan(both.mutualResponsibility());
		}

		@Test
		void littleEvidenceStaysNearNeutral() {
			ScorePoint one = last(history(taken(1, Party.VENDOR, 1)));
			assertThat(one.mutualResponsibility().subtract(new BigDecimal("50")).abs()).isLessThan(new BigDecimal("5"));
		}

	}

	@Nested
	class Explanations {

		@Test
		void contributionsAddUpExactlyToEachChangeOverRandomHistories() {
			Random random = new Random(20261122L);
			for (int history = 0; history < 200; history++) {
				List<ScorePoint> points = ScoringEngineTest.this.engine.score(scorable(randomHistory(random, 60)));
				BigDecimal trust = new BigDecimal("50.00");
				BigDecimal mutual = new BigDecimal("50.00");
				for (ScorePoint point : points) {
					ScorePoint.Explanation why = point.explanation();
					assertThat(why.trustChange()).isEqualByComparingTo(point.trust().subtract(trust));
					assertThat(sum(why.trustContributions())).isEqualByComparingTo(why.trustChange());
					assertThat(why.mutualChange()).isEqualByComparingTo(point.mutualResponsibility().subtract(mutual));
					assertThat(why.mutualContributions().vendor().add(why.mutualContributions().client()))
						.isEqualByComparingTo(why.mutualChange());
					trust = point.trust();
					mutual = point.mutualResponsibility();
				}
			}
		}

		@Test
		void theComponentThatMovedGetsTheCredit() {
			ScorePoint broken = last(history(broken(1, Party.VENDOR, 4)));
			assertThat(broken.explanation().trustContributions().reliability()).isNegative();
			assertThat(broken.explanation().trustContributions().credibility()).isZero();
			assertThat(broken.explanation().trustContributions().intimacy()).isZero();
		}

	}

	@Nested
	class Determinism {

		@Test
		void theSameEventsInAnyRecordingOrderGiveTheSamePoints() {
			Random random = new Random(7L);
			List<ScorableEvent> events = scorable(randomHistory(random, 80));
			List<ScorePoint> expected = ScoringEngineTest.this.engine.score(events);
			for (int shuffle = 0; shuffle < 20; shuffle++) {
				List<ScorableEvent> shuffled = new ArrayList<>(events);
				Collections.shuffle(shuffled, random);
				assertThat(ScoringEngineTest.this.engine.score(shuffled)).isEqualTo(expected);
			}
		}

		@Test
		void aTimelineBuiltOneEventAtATimeEqualsTheWholeFoldAfterEveryEvent() {
			Random random = new Random(11L);
			List<ScorableEvent> events = scorable(randomHistory(random, 120));
			List<ScorableEvent> arrival = new ArrayList<>(events);
			// mostly in order, with some events recorded late
			for (int i = 0; i < 15; i++) {
				int from = 1 + random.nextInt(arrival.size() - 1);
				int to = Math.min(arrival.size() - 1, from + 1 + random.nextInt(20));
				arrival.add(to, arrival.remove(from));
			}
			ScoringEngine.Timeline timeline = ScoringEngineTest.this.engine.timeline();
			List<ScorableEvent> recorded = new ArrayList<>();
			int backdated = 0;
			for (ScorableEvent event : arrival) {
				recorded.add(event);
				int changedFrom = timeline.add(event);
				if (changedFrom < recorded.size() - 1) {
					backdated++;
				}
				assertThat(timeline.points()).isEqualTo(ScoringEngineTest.this.engine.score(recorded));
				assertThat(timeline.checkpoints())
					.isEqualTo(ScoringEngineTest.this.engine.timeline(recorded).checkpoints());
			}
			assertThat(backdated).as("late events exercise the re-fold").isGreaterThan(5);
			assertThat(ScoringEngineTest.this.engine.timeline(arrival).points())
				.isEqualTo(ScoringEngineTest.this.engine.score(events));
		}

		@Test
		void theScoresAtAnyInstantFromTheCheckpointOfTheLastEventByThenEqualTheWholeFold() {
			Random random = new Random(23L);
			List<ScorableEvent> events = scorable(randomHistory(random, 150));
			ScoringEngine.Timeline timeline = ScoringEngineTest.this.engine.timeline(events);
			List<ScorePoint> points = timeline.points();
			List<ScoringEngine.Checkpoint> checkpoints = timeline.checkpoints();
			assertThat(checkpoints).hasSameSizeAs(points);
			Instant first = points.get(0).occurredAt().minus(Duration.ofDays(10));
			long span = Duration.between(first, last(points).occurredAt().plus(Duration.ofDays(400))).getSeconds();
			List<Instant> instants = new ArrayList<>();
			for (int i = 0; i < 400; i++) {
				instants.add(first.plusSeconds((long) (random.nextDouble() * span)).plusNanos(random.nextInt(1000)));
			}
			// on an event's instant, and just before and after it
			for (ScorePoint point : points.subList(0, 40)) {
				instants.add(point.occurredAt());
				instants.add(point.occurredAt().minusNanos(1));
				instants.add(point.occurredAt().plusSeconds(1));
			}
			int none = 0;
			for (Instant at : instants) {
				ScoringEngine.Checkpoint byThen = null;
				for (int k = 0; k < points.size() && !points.get(k).occurredAt().isAfter(at); k++) {
					byThen = checkpoints.get(k);
				}
				none += (byThen == null) ? 1 : 0;
				assertThat(ScoringEngineTest.this.engine.scoresAt(byThen, at)).as("at %s", at)
					.usingRecursiveComparison()
					.isEqualTo(ScoringEngineTest.this.engine.scoresAt(events, at));
			}
			assertThat(none).as("instants before the first event").isPositive();
		}

		@Test
		void aCheckpointKeepsItsMassesToItself() {
			double[] masses = new double[12];
			ScoringEngine.Checkpoint checkpoint = new ScoringEngine.Checkpoint(masses, 1.0, null, T0, false);
			masses[0] = 5;
			checkpoint.masses()[1] = 7;
			assertThat(checkpoint.masses()).containsOnly(0.0);
			assertThat(checkpoint).isEqualTo(new ScoringEngine.Checkpoint(new double[12], 1.0, null, T0, false));
		}

	}

	@Nested
	class Outcomes {

		/**
		 * Outcomes are labels a model is judged against, never evidence: over random
		 * histories, adding renewals, escalations and endings anywhere changes no score
		 * of any other event, and each outcome's own point holds the scores as they stood
		 * without it.
		 */
		@Test
		void anOutcomeChangesNoScoreAndStandsWhereTheScoresStoodWithoutIt() {
			Random random = new Random(20261201L);
			for (int history = 0; history < 100; history++) {
				List<EngagementEvent> evidence = opened(randomHistory(random, 40).toArray(EngagementEvent[]::new));
				List<EngagementEvent> labelled = new ArrayList<>(evidence);
				for (int i = 0; i < 5; i++) {
					Instant at = evidence.get(1 + random.nextInt(evidence.size() - 1))
						.occurredAt()
						.plus(Duration.ofHours(1 + random.nextInt(48)))
						// never at the instant of another event, whose order against it
						// would be the
						// sequence
						.plusSeconds(7);
					String id = "outcome-" + i;
					labelled.add(1 + random.nextInt(labelled.size() - 1), switch (random.nextInt(3)) {
						case 0 ->
							new RenewalDecided(ID, id, RenewalDecision.values()[random.nextInt(4)], null, at, "alice");
						case 1 -> new ClientEscalated(ID, id, 1 + random.nextInt(5), null, at, "alice");
						default -> new EngagementEnded(ID, id, Ending.values()[random.nextInt(3)], null, at, "alice");
					});
				}
				List<ScorableEvent> without = scorable(evidence);
				List<ScorePoint> expected = ScoringEngineTest.this.engine.score(without);
				List<ScorePoint> scored = ScoringEngineTest.this.engine.score(scorable(labelled));
				List<String> evidenceScores = new ArrayList<>();
				for (ScorePoint point : scored) {
					if (point.eventId().startsWith("outcome") || isOutcome(point.eventType())) {
						ScoringEngine.Scores then = ScoringEngineTest.this.engine.scoresAt(without, point.occurredAt());
						assertThat(point.trust()).isEqualByComparingTo(then.trustPoints());
						assertThat(point.mutualResponsibility()).isEqualByComparingTo(then.mutualPoints());
					}
					else {
						evidenceScores.add(point.occurredAt() + " " + point.trust() + " " + point.mutualResponsibility()
								+ " " + point.components());
					}
				}
				assertThat(evidenceScores).containsExactlyElementsOf(expected.stream()
					.map((point) -> point.occurredAt() + " " + point.trust() + " " + point.mutualResponsibility() + " "
							+ point.components())
					.toList());
			}
		}

		private static boolean isOutcome(String eventType) {
			return List.of("RenewalDecided", "ClientEscalated", "EngagementEnded").contains(eventType);
		}

	}

	@Nested
	class Cooperation {

		@Test
		void modelV1GivesTheClientsCooperationNoWeightAndV2Does() throws Exception {
			List<EngagementEvent> withheld = opened(
					new InformationWithheld(ID, "w", Party.CLIENT, 5, null, T0.plus(Duration.ofDays(1)), "alice"));
			List<EngagementEvent> nothing = opened();
			Instant at = T0.plus(Duration.ofDays(2));
			ScoringEngine.Scores v1With = ScoringEngineTest.this.engine.scoresAt(scorable(withheld), at);
			ScoringEngine.Scores v1Without = ScoringEngineTest.this.engine.scoresAt(scorable(nothing), at);
			assertThat(v1With.trust()).isEqualTo(v1Without.trust());
			assertThat(v1With.client()).isEqualTo(v1Without.client());

			ScoringEngine v2;
			try (java.io.InputStream in = java.nio.file.Files
				.newInputStream(java.nio.file.Path.of("..", "seeds", "models", "v2.yaml"))) {
				v2 = new ScoringEngine(ScoringModel.read(in));
			}
			ScoringEngine.Scores v2With = v2.scoresAt(scorable(withheld), at);
			ScoringEngine.Scores v2Without = v2.scoresAt(scorable(nothing), at);
			assertThat(v2With.trust()).as("intimacy lost").isLessThan(v2Without.trust());
			assertThat(v2With.client()).as("the withholder's ownership").isLessThan(v2Without.client());
			assertThat(v2With.vendor()).isEqualTo(v2Without.vendor());
		}

	}

	// histories
	// histories
	// histories

	private List<ScorePoint> history(EngagementEvent... events) {
		return this.engine.score(scorable(opened(events)));
	}

	private static List<EngagementEvent> opened(EngagementEvent... events) {
		List<EngagementEvent> all = new ArrayList<>();
		all.add(new EngagementOpened(ID, "Client", "Team", "Lead", "Sponsor", T0, "alice"));
		all.addAll(List.of(events));
		return all;
	}

	private List<ScorePoint> history(List<EngagementEvent> events) {
		return history(events.toArray(EngagementEvent[]::new));
	}

	private static List<ScorableEvent> scorable(List<EngagementEvent> events) {
		List<ScorableEvent> result = new ArrayList<>();
		for (EngagementEvent event : events) {
			result.add(new ScorableEvent(result.size(), "event-" + result.size(), event));
		}
		return result;
	}

	private static ScorePoint last(List<ScorePoint> points) {
		return points.get(points.size() - 1);
	}

	private static BigDecimal sum(ScorePoint.Components components) {
		return components.credibility()
			.add(components.reliability())
			.add(components.intimacy())
			.add(components.selfOrientation());
	}

	private static BigDecimal centi(long hundredths) {
		return BigDecimal.valueOf(hundredths, 2);
	}

	private static List<EngagementEvent> randomHistory(Random random, int length) {
		List<EngagementEvent> events = new ArrayList<>();
		events.add(new EngagementOpened(ID, "Client", "Team", "Lead", "Sponsor", T0, "alice"));
		boolean sponsored = true;
		int day = 0;
		for (int i = 0; i < length; i++) {
			day += random.nextInt(20);
			Party party = random.nextBoolean() ? Party.VENDOR : Party.CLIENT;
			int severity = 1 + random.nextInt(5);
			switch (random.nextInt(9)) {
				case 0 -> events.add(kept(day, party, severity));
				case 1 -> events.add(broken(day, party, severity));
				case 2 -> events.add(taken(day, party, severity));
				case 3 -> events.add(shared(day, severity));
				case 4 -> events.add(deflected(day, party, severity));
				case 5 -> events.add(stood(day, party, severity));
				case 6 -> events.add(new ProblemStatementAgreed(ID, "i" + i, null, severity, null, at(day), "alice"));
				default -> {
					events.add(sponsored ? sponsorLost(day) : sponsorGained(day));
					sponsored = !sponsored;
				}
			}
		}
		return events;
	}

	private static List<EngagementEvent> repeat(int count, java.util.function.IntFunction<EngagementEvent> event) {
		List<EngagementEvent> events = new ArrayList<>();
		for (int day = 1; day <= count; day++) {
			events.add(event.apply(day));
		}
		return events;
	}

	private static Instant at(int day) {
		return T0.plus(Duration.ofDays(day));
	}

	private static EngagementEvent openedAnchor(int day) {
		// an incident-free marker late in time: closing and reopening change no score
		return new dev.trustledger.events.engagement.EngagementReopened(ID, null, at(day), "alice");
	}

	private static PromiseKept kept(int day, Party party, int severity) {
		return new PromiseKept(ID, "k" + day + party, "p" + day, party, severity, null, at(day), "alice");
	}

	private static PromiseBroken broken(int day, Party party, int severity) {
		return new PromiseBroken(ID, "b" + day + party, null, party, severity, null, at(day), "alice");
	}

	private static ResponsibilityTaken taken(int day, Party party, int severity) {
		return new ResponsibilityTaken(ID, "r" + day + party, party, null, severity, null, at(day).plusSeconds(60),
				"alice");
	}

	private static ClientSharedBlame shared(int day, int severity) {
		return new ClientSharedBlame(ID, "s" + day, "x", severity, null, at(day).plusSeconds(120), "alice");
	}

	private static BlameDeflected deflected(int day, Party party, int severity) {
		return new BlameDeflected(ID, "d" + day + party, party, null, severity, null, at(day).plusSeconds(60), "alice");
	}

	private static StoodByPartner stood(int day, Party party, int severity) {
		return new StoodByPartner(ID, "st" + day + party, party, severity, null, at(day), "alice");
	}

	private static SponsorLost sponsorLost(int day) {
		return new SponsorLost(ID, "sl" + day, "Sponsor", 3, null, at(day), "alice");
	}

	private static SponsorGained sponsorGained(int day) {
		return new SponsorGained(ID, "sg" + day, "Sponsor", null, at(day), "alice");
	}

}
