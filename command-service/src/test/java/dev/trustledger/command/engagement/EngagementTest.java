package dev.trustledger.command.engagement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.trustledger.events.Party;
import dev.trustledger.events.outcome.ClientEscalated;
import dev.trustledger.events.outcome.DecideRenewal;
import dev.trustledger.events.outcome.EndEngagement;
import dev.trustledger.events.outcome.Ending;
import dev.trustledger.events.outcome.EngagementEnded;
import dev.trustledger.events.outcome.EscalateToLeadership;
import dev.trustledger.events.outcome.RenewalDecided;
import dev.trustledger.events.outcome.RenewalDecision;
import dev.trustledger.events.cooperation.ChangeResisted;
import dev.trustledger.events.cooperation.DecisionMade;
import dev.trustledger.events.cooperation.DecisionStalled;
import dev.trustledger.events.cooperation.EngageStakeholder;
import dev.trustledger.events.cooperation.InformationShared;
import dev.trustledger.events.cooperation.InformationWithheld;
import dev.trustledger.events.cooperation.LoseStakeholder;
import dev.trustledger.events.cooperation.MakeDecision;
import dev.trustledger.events.cooperation.ResistChange;
import dev.trustledger.events.cooperation.ShareInformation;
import dev.trustledger.events.cooperation.StakeholderEngaged;
import dev.trustledger.events.cooperation.StallDecision;
import dev.trustledger.events.cooperation.WithholdInformation;
import dev.trustledger.events.engagement.CloseEngagement;
import dev.trustledger.events.engagement.EngagementClosed;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.engagement.EngagementReopened;
import dev.trustledger.events.engagement.OpenEngagement;
import dev.trustledger.events.engagement.ReopenEngagement;
import dev.trustledger.events.partnership.AgreeProblemStatement;
import dev.trustledger.events.partnership.ProblemStatementAgreed;
import dev.trustledger.events.partnership.StandByPartner;
import dev.trustledger.events.partnership.StoodByPartner;
import dev.trustledger.events.promise.BreakPromise;
import dev.trustledger.events.promise.KeepPromise;
import dev.trustledger.events.promise.MakePromise;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.events.promise.PromiseKept;
import dev.trustledger.events.promise.PromiseMade;
import dev.trustledger.events.responsibility.BlameDeflected;
import dev.trustledger.events.responsibility.ClientSharedBlame;
import dev.trustledger.events.responsibility.DeflectBlame;
import dev.trustledger.events.responsibility.ResponsibilityTaken;
import dev.trustledger.events.responsibility.ShareBlame;
import dev.trustledger.events.responsibility.TakeResponsibility;
import dev.trustledger.events.sponsor.GainSponsor;
import dev.trustledger.events.sponsor.LoseSponsor;
import dev.trustledger.events.sponsor.SponsorGained;
import dev.trustledger.events.sponsor.SponsorLost;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Given/when/then for every command handler: the happy path, then one test per rule. */
class EngagementTest {

	private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

	private static final Instant OPENED = Instant.parse("2026-01-05T09:00:00Z");

	private static final Instant T1 = Instant.parse("2026-02-01T10:00:00Z");

	private static final Instant T2 = Instant.parse("2026-02-15T10:00:00Z");

	private static final String ID = "harbour-freight";

	private static final String SPONSOR = "COO Ruth Brandt";

	private static final String I1 = "6f1c3a52-8a4e-4d2b-9a57-3f0f0d1e2a01";

	private static final String I2 = "6f1c3a52-8a4e-4d2b-9a57-3f0f0d1e2a02";

	private static final String I3 = "6f1c3a52-8a4e-4d2b-9a57-3f0f0d1e2a03";

	private final OpenEngagement open = new OpenEngagement(ID, "Harbour Freight", "North", "Dana Okafor", SPONSOR,
			OPENED, "alice");

	private final EngagementOpened opened = new EngagementOpened(ID, "Harbour Freight", "North", "Dana Okafor", SPONSOR,
			OPENED, "alice");

	private final PromiseMade reportPromised = new PromiseMade(ID, I1, "weekly-report", Party.VENDOR, 3,
			"weekly status report every Friday", T2, T1, "alice");

	private FixtureConfiguration<Engagement> fixture;

	@BeforeEach
	void setUp() {
		this.fixture = new AggregateTestFixture<>(Engagement.class);
		this.fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
	}

	@Nested
	class Lifecycle {

		@Test
		void openingRecordsWhoOpenedItAndWhen() {
			EngagementTest.this.fixture.givenNoPriorActivity()
				.when(EngagementTest.this.open)
				.expectSuccessfulHandlerExecution()
				.expectEvents(EngagementTest.this.opened)
				.expectResultMessagePayload(ID);
		}

		@Test
		void openingTheSameEngagementAgainChangesNothing() {
			EngagementTest.this.fixture.givenCommands(EngagementTest.this.open)
				.when(new OpenEngagement(ID, "Harbour Freight", "North", "Dana Okafor", SPONSOR, OPENED, "bob"))
				.expectSuccessfulHandlerExecution()
				.expectNoEvents()
				.expectResultMessagePayload(ID);
		}

		@Test
		void anIdCannotBeOpenedTwiceWithOtherDetails() {
			EngagementTest.this.fixture.givenCommands(EngagementTest.this.open)
				.when(new OpenEngagement(ID, "Another Client", "North", "Dana Okafor", SPONSOR, OPENED, "alice"))
				.expectNoEvents()
				.expectException(violation("engagement-exists"));
		}

		@Test
		void anEngagementCannotOpenMoreThanFiveMinutesInTheFuture() {
			EngagementTest.this.fixture.givenNoPriorActivity()
				.when(new OpenEngagement(ID, "Harbour Freight", "North", "Dana Okafor", null,
						NOW.plus(Duration.ofMinutes(6)), "alice"))
				.expectNoEvents()
				.expectException(violation("occurred-in-future"));
		}

		@Test
		void closingAnOpenEngagement() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new CloseEngagement(ID, "contract ended", T1, "alice"))
				.expectSuccessfulHandlerExecution()
				.expectEvents(new EngagementClosed(ID, "contract ended", T1, "alice"));
		}

		@Test
		void aClosedEngagementCannotBeClosedAgain() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened, new EngagementClosed(ID, null, T1, "alice"))
				.when(new CloseEngagement(ID, null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("engagement-closed"));
		}

		@Test
		void reopeningAClosedEngagementIsRecorded() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened, new EngagementClosed(ID, null, T1, "alice"))
				.when(new ReopenEngagement(ID, "phase two signed", T2, "alice"))
				.expectSuccessfulHandlerExecution()
				.expectEvents(new EngagementReopened(ID, "phase two signed", T2, "alice"))
				.expectResultMessagePayload(2L);
		}

		@Test
		void onlyAClosedEngagementCanBeReopened() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new ReopenEngagement(ID, null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("engagement-not-closed"));
		}

		@Test
		void noIncidentOnAClosedEngagement() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened, new EngagementClosed(ID, null, T1, "alice"))
				.when(brokenStandalone(I2, 3, T2))
				.expectNoEvents()
				.expectException(violation("engagement-closed"));
		}

		@Test
		void noIncidentOnAnUnknownEngagement() {
			EngagementTest.this.fixture.givenNoPriorActivity()
				.when(brokenStandalone(I1, 4, NOW))
				.expectNoEvents()
				.expectException(AggregateNotFoundException.class);
		}

	}

	@Nested
	class Incidents {

		@Test
		void anIncidentAnswersWithItsSequence() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(brokenStandalone(I1, 4, T1))
				.expectSuccessfulHandlerExecution()
				.expectEvents(new PromiseBroken(ID, I1, null, Party.VENDOR, 4, "audit found a missed obligation", T1,
						"alice"))
				.expectResultMessagePayload(1L);
		}

		@Test
		void sendingTheSameIncidentAgainReturnsTheOriginalResultAndStoresNothing() {
			EngagementTest.this.fixture
				.givenCommands(EngagementTest.this.open, brokenStandalone(I1, 4, T1), brokenStandalone(I2, 2, T2))
				.when(new BreakPromise(ID, I1, null, Party.VENDOR, 4, "audit found a missed obligation", T1,
						"someone-else"))
				.expectSuccessfulHandlerExecution()
				.expectNoEvents()
				.expectResultMessagePayload(1L);
		}

		@Test
		void theSameIncidentIdWithOtherContentIsAConflict() {
			EngagementTest.this.fixture.givenCommands(EngagementTest.this.open, brokenStandalone(I1, 4, T1))
				.when(brokenStandalone(I1, 5, T1))
				.expectNoEvents()
				.expectException(violation("incident-id-reused"));
		}

		@Test
		void aBackdatedIncidentIsAcceptedFromTheOpeningOn() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(brokenStandalone(I1, 2, OPENED))
				.expectSuccessfulHandlerExecution()
				.expectEvents(new PromiseBroken(ID, I1, null, Party.VENDOR, 2, "audit found a missed obligation",
						OPENED, "alice"));
		}

		@Test
		void anIncidentCannotPrecedeTheOpeningOfItsEngagement() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(brokenStandalone(I1, 3, OPENED.minusSeconds(1)))
				.expectNoEvents()
				.expectException(violation("occurred-before-opening"));
		}

		@Test
		void anIncidentCannotOccurMoreThanFiveMinutesAhead() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(brokenStandalone(I1, 3, NOW.plus(Duration.ofMinutes(5)).plusSeconds(1)))
				.expectNoEvents()
				.expectException(violation("occurred-in-future"));
		}

		@Test
		void fiveMinutesOfClockSkewAreTolerated() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(brokenStandalone(I1, 3, NOW.plus(Duration.ofMinutes(5))))
				.expectSuccessfulHandlerExecution()
				.expectEvents(new PromiseBroken(ID, I1, null, Party.VENDOR, 3, "audit found a missed obligation",
						NOW.plus(Duration.ofMinutes(5)), "alice"));
		}

		@Test
		void severityIsFromOneToFive() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(brokenStandalone(I1, 6, NOW))
				.expectNoEvents()
				.expectException(violation("severity-out-of-range"));
		}

	}

	@Nested
	class Promises {

		@Test
		void aPromiseIsMade() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new MakePromise(ID, I1, "weekly-report", Party.VENDOR, 3, "weekly status report every Friday", T2,
						T1, "alice"))
				.expectSuccessfulHandlerExecution()
				.expectEvents(EngagementTest.this.reportPromised);
		}

		@Test
		void aPromiseIdIsMadeOnce() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened, EngagementTest.this.reportPromised)
				.when(new MakePromise(ID, I2, "weekly-report", Party.CLIENT, 2, "again", T2, T1, "alice"))
				.expectNoEvents()
				.expectException(violation("promise-already-made"));
		}

		@Test
		void aPromiseCannotBeDueBeforeItWasMade() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new MakePromise(ID, I1, "weekly-report", Party.VENDOR, 3, "report", T1, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("due-before-made"));
		}

		@Test
		void keepingAPromiseCarriesItsPartyAndSeverity() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened, EngagementTest.this.reportPromised)
				.when(new KeepPromise(ID, I2, "weekly-report", "sent on time", T2, "alice"))
				.expectSuccessfulHandlerExecution()
				.expectEvents(new PromiseKept(ID, I2, "weekly-report", Party.VENDOR, 3, "sent on time", T2, "alice"));
		}

		@Test
		void onlyAMadePromiseCanBeKept() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new KeepPromise(ID, I2, "never-made", null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("unknown-promise"));
		}

		@Test
		void aBrokenPromiseCannotBeKept() {
			EngagementTest.this.fixture
				.given(EngagementTest.this.opened, EngagementTest.this.reportPromised,
						new PromiseBroken(ID, I2, "weekly-report", Party.VENDOR, 3, null, T2, "alice"))
				.when(new KeepPromise(ID, I3, "weekly-report", null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("promise-already-resolved"));
		}

		@Test
		void aKeptPromiseCannotBeBroken() {
			EngagementTest.this.fixture
				.given(EngagementTest.this.opened, EngagementTest.this.reportPromised,
						new PromiseKept(ID, I2, "weekly-report", Party.VENDOR, 3, null, T2, "alice"))
				.when(new BreakPromise(ID, I3, "weekly-report", null, null, null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("promise-already-resolved"));
		}

		@Test
		void breakingAMadePromiseTakesItsPartyAndSeverity() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened, EngagementTest.this.reportPromised)
				.when(new BreakPromise(ID, I2, "weekly-report", null, null, "no report this week", T2, "alice"))
				.expectSuccessfulHandlerExecution()
				.expectEvents(new PromiseBroken(ID, I2, "weekly-report", Party.VENDOR, 3, "no report this week", T2,
						"alice"));
		}

		@Test
		void aPromiseIsBrokenByThePartyThatMadeIt() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened, EngagementTest.this.reportPromised)
				.when(new BreakPromise(ID, I2, "weekly-report", Party.CLIENT, null, null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("party-mismatch"));
		}

		@Test
		void aStandaloneBrokenCommitmentNamesWhoBrokeIt() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new BreakPromise(ID, I2, null, null, 3, null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("party-required"));
		}

		@Test
		void aStandaloneBrokenCommitmentHasASeverity() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new BreakPromise(ID, I2, null, Party.CLIENT, null, null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("severity-required"));
		}

	}

	@Nested
	class Responsibility {

		private final PromiseBroken auditMiss = new PromiseBroken(ID, I1, null, Party.VENDOR, 4, "missed filing", T1,
				"alice");

		@Test
		void aPartyOwnsItsMissTakingItsSeverity() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened, this.auditMiss)
				.when(new TakeResponsibility(ID, I2, Party.VENDOR, I1, null, "our miss; fix under way", T1, "alice"))
				.expectSuccessfulHandlerExecution()
				.expectEvents(
						new ResponsibilityTaken(ID, I2, Party.VENDOR, I1, 4, "our miss; fix under way", T1, "alice"));
		}

		@Test
		void responsibilityReferencesARecordedIncident() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new TakeResponsibility(ID, I2, Party.VENDOR, I1, 3, null, T1, "alice"))
				.expectNoEvents()
				.expectException(violation("unknown-incident-ref"));
		}

		@Test
		void responsibilityWithoutAReferenceHasASeverity() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new TakeResponsibility(ID, I2, Party.VENDOR, null, null, null, T1, "alice"))
				.expectNoEvents()
				.expectException(violation("severity-required"));
		}

		@Test
		void theClientSharesTheBlame() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened, this.auditMiss)
				.when(new ShareBlame(ID, I2, I1, 2, "we should have checked too", T2, "alice"))
				.expectSuccessfulHandlerExecution()
				.expectEvents(new ClientSharedBlame(ID, I2, I1, 2, "we should have checked too", T2, "alice"));
		}

		@Test
		void sharingTheBlameNamesTheIncident() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened, this.auditMiss)
				.when(new ShareBlame(ID, I2, null, 2, null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("incident-ref-required"));
		}

		@Test
		void sharedBlameReferencesARecordedIncident() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new ShareBlame(ID, I2, I3, 2, null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("unknown-incident-ref"));
		}

		@Test
		void eitherPartyCanDeflectBlame() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened, this.auditMiss)
				.when(new DeflectBlame(ID, I2, Party.CLIENT, I1, null, "says the old vendor left a mess", T2, "alice"))
				.expectSuccessfulHandlerExecution()
				.expectEvents(new BlameDeflected(ID, I2, Party.CLIENT, I1, 4, "says the old vendor left a mess", T2,
						"alice"));
		}

		@Test
		void deflectedBlameReferencesARecordedIncident() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new DeflectBlame(ID, I2, Party.VENDOR, I3, 2, null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("unknown-incident-ref"));
		}

	}

	@Nested
	class Sponsorship {

		@Test
		void theSponsorIsLost() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new LoseSponsor(ID, I1, null, 5, "left the company", T1, "alice"))
				.expectSuccessfulHandlerExecution()
				.expectEvents(new SponsorLost(ID, I1, SPONSOR, 5, "left the company", T1, "alice"));
		}

		@Test
		void aSponsorCanOnlyBeLostWhilePresent() {
			EngagementTest.this.fixture
				.given(EngagementTest.this.opened, new SponsorLost(ID, I1, SPONSOR, 5, null, T1, "alice"))
				.when(new LoseSponsor(ID, I2, null, 5, null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("no-sponsor"));
		}

		@Test
		void theSponsorLostIsTheCurrentOne() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new LoseSponsor(ID, I1, "Someone Else", 5, null, T1, "alice"))
				.expectNoEvents()
				.expectException(violation("sponsor-mismatch"));
		}

		@Test
		void aSponsorIsGainedAfterTheLoss() {
			EngagementTest.this.fixture
				.given(EngagementTest.this.opened, new SponsorLost(ID, I1, SPONSOR, 5, null, T1, "alice"))
				.when(new GainSponsor(ID, I2, "CFO Lena Varga", null, T2, "alice"))
				.expectSuccessfulHandlerExecution()
				.expectEvents(new SponsorGained(ID, I2, "CFO Lena Varga", null, T2, "alice"));
		}

		@Test
		void aSecondSponsorWaitsForTheFirstOnesLoss() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new GainSponsor(ID, I2, "CFO Lena Varga", null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("sponsor-present"));
		}

	}

	@Nested
	class Partnership {

		@Test
		void aPartyStandsByTheOtherThroughASetback() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new StandByPartner(ID, I1, Party.VENDOR, 4, "rollout slipped; we stayed on site", T1, "alice"))
				.expectSuccessfulHandlerExecution()
				.expectEvents(
						new StoodByPartner(ID, I1, Party.VENDOR, 4, "rollout slipped; we stayed on site", T1, "alice"));
		}

		@Test
		void bothSidesAgreeAProblemStatement() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new AgreeProblemStatement(ID, I1, null, 3, "handover data arrives late", T1, "alice"))
				.expectSuccessfulHandlerExecution()
				.expectEvents(new ProblemStatementAgreed(ID, I1, null, 3, "handover data arrives late", T1, "alice"));
		}

		@Test
		void aProblemStatementReferencesARecordedIncident() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new AgreeProblemStatement(ID, I1, I3, 3, null, T1, "alice"))
				.expectNoEvents()
				.expectException(violation("unknown-incident-ref"));
		}

	}

	/**
	 * Idempotency of the lifecycle: an import run twice sends every opening, closing and
	 * reopening again.
	 */
	@Nested
	class Outcomes {

		@Test
		void aRenewalDecisionIsRecordedOnAnOpenEngagementAndSentAgainChangesNothing() {
			DecideRenewal decide = new DecideRenewal(ID, I1, RenewalDecision.CONTRACTED, "budget cut", T1, "alice");
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(decide)
				.expectEvents(new RenewalDecided(ID, I1, RenewalDecision.CONTRACTED, "budget cut", T1, "alice"))
				.expectResultMessagePayload(1L);
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.andGivenCommands(decide)
				.when(decide)
				.expectNoEvents()
				.expectResultMessagePayload(1L);
		}

		@Test
		void anEscalationToTheVendorsLeadershipNeedsItsSeverity() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new EscalateToLeadership(ID, I1, null, "wrote to our CEO", T1, "alice"))
				.expectNoEvents()
				.expectException(violation("severity-required"));
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new EscalateToLeadership(ID, I1, 4, "wrote to our CEO", T1, "alice"))
				.expectEvents(new ClientEscalated(ID, I1, 4, "wrote to our CEO", T1, "alice"));
		}

		@Test
		void anEndingClosesTheEngagementUntilItIsReopened() {
			EngagementEnded ended = new EngagementEnded(ID, I1, Ending.ENDED_BY_CLIENT, "moved to a rival", T1,
					"alice");
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new EndEngagement(ID, I1, Ending.ENDED_BY_CLIENT, "moved to a rival", T1, "alice"))
				.expectEvents(ended);
			EngagementTest.this.fixture.given(EngagementTest.this.opened, ended)
				.when(new DecideRenewal(ID, I2, RenewalDecision.NOT_RENEWED, null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("engagement-closed"));
			EngagementTest.this.fixture.given(EngagementTest.this.opened, ended)
				.when(new ReopenEngagement(ID, "won back", T2, "alice"))
				.expectEvents(new EngagementReopened(ID, "won back", T2, "alice"));
		}

		@Test
		void anOutcomeCannotPrecedeTheOpening() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new EndEngagement(ID, I1, Ending.COMPLETED_AS_AGREED, null, OPENED.minusSeconds(1), "alice"))
				.expectNoEvents()
				.expectException(violation("occurred-before-opening"));
		}

	}

	@Nested
	class Cooperation {

		@Test
		void withheldInformationNeedsItsPartyAndSeverityAndItsSharingMayNameIt() {
			InformationWithheld withheld = new InformationWithheld(ID, I1, Party.CLIENT, 4,
					"no access to the data team", T1, "alice");
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new WithholdInformation(ID, I1, Party.CLIENT, 4, "no access to the data team", T1, "alice"))
				.expectEvents(withheld);
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new WithholdInformation(ID, I1, Party.CLIENT, null, null, T1, "alice"))
				.expectNoEvents()
				.expectException(violation("severity-required"));
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.andGiven(withheld)
				.when(new ShareInformation(ID, I2, Party.CLIENT, I1, "access granted", T2, "alice"))
				.expectEvents(new InformationShared(ID, I2, Party.CLIENT, I1, "access granted", T2, "alice"));
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new ShareInformation(ID, I2, Party.CLIENT, I3, null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("unknown-incident-ref"));
		}

		@Test
		void aStalledDecisionAndTheDecisionThatEndsIt() {
			DecisionStalled stalled = new DecisionStalled(ID, I1, 3, "architecture sign-off", T1, "alice");
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new StallDecision(ID, I1, 3, "architecture sign-off", T1, "alice"))
				.expectEvents(stalled);
			EngagementTest.this.fixture.given(EngagementTest.this.opened, stalled)
				.when(new MakeDecision(ID, I2, I1, null, T2, "alice"))
				.expectEvents(new DecisionMade(ID, I2, I1, null, T2, "alice"));
		}

		@Test
		void resistanceToChangeAndPeopleBeyondTheSponsor() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new ResistChange(ID, I1, Party.CLIENT, 5, "wants a new vendor instead", T1, "alice"))
				.expectEvents(new ChangeResisted(ID, I1, Party.CLIENT, 5, "wants a new vendor instead", T1, "alice"));
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new EngageStakeholder(ID, I1, "Head of Claims", null, T1, "alice"))
				.expectEvents(new StakeholderEngaged(ID, I1, "Head of Claims", null, T1, "alice"));
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new LoseStakeholder(ID, I1, "Head of Claims", null, "moved on", T1, "alice"))
				.expectNoEvents()
				.expectException(violation("severity-required"));
		}

	}

	@Nested
	class RepeatedLifecycle {

		@Test
		void anOpeningSentAgainWithoutItsTimeMatchesTheFirst() {
			EngagementTest.this.fixture.givenCommands(EngagementTest.this.open)
				.when(new OpenEngagement(ID, "Harbour Freight", "North", "Dana Okafor", SPONSOR, null, "bob"))
				.expectSuccessfulHandlerExecution()
				.expectNoEvents()
				.expectResultMessagePayload(ID);
		}

		@Test
		void anOpeningWithoutATimeOpensNowByTheEngagementsClock() {
			EngagementTest.this.fixture.givenNoPriorActivity()
				.when(new OpenEngagement(ID, "Harbour Freight", "North", "Dana Okafor", SPONSOR, null, "alice"))
				.expectEvents(
						new EngagementOpened(ID, "Harbour Freight", "North", "Dana Okafor", SPONSOR, NOW, "alice"));
		}

		@Test
		void aClosingSentAgainAnswersWithItsSequenceAndStoresNothing() {
			EngagementTest.this.fixture
				.given(EngagementTest.this.opened, new EngagementClosed(ID, "phase one done", T1, "alice"),
						new EngagementReopened(ID, "phase two", T2, "alice"),
						new EngagementClosed(ID, "phase two done", NOW, "alice"))
				.when(new CloseEngagement(ID, "phase one done", T1, "bob"))
				.expectSuccessfulHandlerExecution()
				.expectNoEvents()
				.expectResultMessagePayload(1L);
		}

		@Test
		void aReopeningSentAgainAnswersWithItsSequenceAndStoresNothing() {
			// the history of an exported engagement that was closed, reopened and closed:
			// importing it again must not reopen it
			EngagementTest.this.fixture.given(EngagementTest.this.opened, new EngagementClosed(ID, null, T1, "alice"),
					new EngagementReopened(ID, "phase two", T2, "alice"), new EngagementClosed(ID, null, NOW, "alice"))
				.when(new ReopenEngagement(ID, "phase two", T2, "alice"))
				.expectSuccessfulHandlerExecution()
				.expectNoEvents()
				.expectResultMessagePayload(2L);
		}

		@Test
		void aClosingAtAnotherTimeIsANewClosing() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened, new EngagementClosed(ID, null, T1, "alice"))
				.when(new CloseEngagement(ID, null, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("engagement-closed"));
		}

	}

	/** What keeps every fact in a range the stores and the projection can hold. */
	@Nested
	class Bounds {

		@Test
		void nothingOccursBefore1970() {
			EngagementTest.this.fixture.givenNoPriorActivity()
				.when(new OpenEngagement(ID, "Harbour Freight", "North", "Dana Okafor", null,
						Instant.parse("-1000000000-01-01T00:00:00Z"), "alice"))
				.expectNoEvents()
				.expectException(violation("before-1970"));
		}

		@Test
		void aPromiseFallsDueWithinTenYears() {
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new MakePromise(ID, I1, "p", Party.VENDOR, 3, null,
						T1.plus(Engagement.DUE_HORIZON).plusSeconds(1), T1, "alice"))
				.expectNoEvents()
				.expectException(violation("due-beyond-horizon"));
			EngagementTest.this.fixture.given(EngagementTest.this.opened)
				.when(new MakePromise(ID, I1, "p", Party.VENDOR, 3, null, T1.plus(Engagement.DUE_HORIZON), T1, "alice"))
				.expectSuccessfulHandlerExecution();
		}

		@Test
		void aMonthHoldsAtMostItsBudgetOfEvents() {
			List<Object> history = new ArrayList<>();
			history.add(EngagementTest.this.opened);
			// the opening in January counts toward January only; notes at their longest
			String note = "n".repeat(2000);
			long weight = Engagement.weight(new StoodByPartner(ID, I1, Party.CLIENT, 2, note, T2, "alice"));
			assertThat(weight).isEqualTo(Engagement.EVENT_WEIGHT + 3 * (2000 + ID.length() + I1.length() + 5));
			long fit = Engagement.MONTH_BUDGET / weight;
			for (int i = 0; i < fit; i++) {
				history.add(new StoodByPartner(ID, "%036d".formatted(i), Party.CLIENT, 2, note, T1.plusSeconds(i),
						"alice"));
			}
			EngagementTest.this.fixture.given(history)
				.when(new StandByPartner(ID, I1, Party.CLIENT, 2, note, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("month-full"));
			EngagementTest.this.fixture.given(history)
				.when(new StandByPartner(ID, I2, Party.CLIENT, 2, note, NOW, "alice"))
				.expectSuccessfulHandlerExecution();
			history.remove(history.size() - 1);
			EngagementTest.this.fixture.given(history)
				.when(new StandByPartner(ID, I1, Party.CLIENT, 2, note, T2, "alice"))
				.expectSuccessfulHandlerExecution();
			EngagementTest.this.fixture.given(history)
				.when(new CloseEngagement(ID, null, T2, "alice"))
				.expectSuccessfulHandlerExecution();
		}

		@Test
		void anEngagementHoldsAtMostItsLimitOfPromises() {
			List<Object> history = new ArrayList<>();
			history.add(EngagementTest.this.opened);
			for (int i = 0; i < Engagement.MAX_PROMISES; i++) {
				// spread over months so that the monthly bound is not what refuses
				history.add(new PromiseMade(ID, "m" + i, "p" + i, Party.VENDOR, 2, null, NOW,
						OPENED.plus(Duration.ofHours(12L * i)), "alice"));
			}
			EngagementTest.this.fixture.given(history)
				.when(new MakePromise(ID, I1, "one-more", Party.VENDOR, 2, null, NOW, T2, "alice"))
				.expectNoEvents()
				.expectException(violation("too-many-promises"));
		}

	}

	private static BreakPromise brokenStandalone(String incidentId, int severity, Instant occurredAt) {
		return new BreakPromise(ID, incidentId, null, Party.VENDOR, severity, "audit found a missed obligation",
				occurredAt, "alice");
	}

	private static Matcher<RuleViolation> violation(String code) {
		return new CustomTypeSafeMatcher<>("a rule violation with code " + code) {
			@Override
			protected boolean matchesSafely(RuleViolation violation) {
				return violation.code().equals(code);
			}
		};
	}

}
