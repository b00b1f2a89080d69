package dev.trustledger.command.engagement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.trustledger.events.Party;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.engagement.OpenEngagement;
import dev.trustledger.events.promise.BreakPromise;
import dev.trustledger.events.promise.PromiseBroken;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EngagementTest {

	private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

	private static final Instant OPENED = Instant.parse("2026-01-05T09:00:00Z");

	private static final String ID = "harbour-freight";

	private static final String INCIDENT = "6f1c3a52-8a4e-4d2b-9a57-3f0f0d1e2a01";

	private final EngagementOpened opened = new EngagementOpened(ID, "Harbour Freight", "North", "Dana Okafor",
			"COO Ruth Brandt", OPENED, "alice");

	private FixtureConfiguration<Engagement> fixture;

	@BeforeEach
	void setUp() {
		this.fixture = new AggregateTestFixture<>(Engagement.class);
		this.fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
	}

	@Test
	void openingAnEngagementRecordsWhoOpenedItAndWhen() {
		this.fixture.givenNoPriorActivity()
			.when(new OpenEngagement(ID, "Harbour Freight", "North", "Dana Okafor", "COO Ruth Brandt", OPENED, "alice"))
			.expectSuccessfulHandlerExecution()
			.expectEvents(this.opened);
	}

	@Test
	void anEngagementCannotOpenMoreThanFiveMinutesInTheFuture() {
		this.fixture.givenNoPriorActivity()
			.when(new OpenEngagement(ID, "Harbour Freight", "North", "Dana Okafor", null,
					NOW.plus(Duration.ofMinutes(6)), "alice"))
			.expectNoEvents()
			.expectException(violation("occurred-in-future"));
	}

	@Test
	void aBrokenPromiseIsRecordedAndAnswersWithItsSequence() {
		BreakPromise command = breakPromise(INCIDENT, 4, Instant.parse("2026-02-01T10:00:00Z"));

		this.fixture.given(this.opened)
			.when(command)
			.expectSuccessfulHandlerExecution()
			.expectEvents(new PromiseBroken(ID, INCIDENT, null, Party.VENDOR, 4, "audit found a missed obligation",
					command.occurredAt(), "alice"))
			.expectResultMessagePayload(1L);
	}

	@Test
	void aBackdatedIncidentIsAcceptedWithinTheEngagement() {
		this.fixture.given(this.opened)
			.when(breakPromise(INCIDENT, 2, OPENED))
			.expectSuccessfulHandlerExecution()
			.expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
					org.axonframework.test.matchers.Matchers
						.messageWithPayload(org.hamcrest.Matchers.instanceOf(PromiseBroken.class)),
					org.axonframework.test.matchers.Matchers.andNoMore()));
	}

	@Test
	void anIncidentCannotPrecedeTheOpeningOfItsEngagement() {
		this.fixture.given(this.opened)
			.when(breakPromise(INCIDENT, 3, OPENED.minusSeconds(1)))
			.expectNoEvents()
			.expectException(violation("occurred-before-opening"));
	}

	@Test
	void anIncidentCannotOccurMoreThanFiveMinutesAhead() {
		this.fixture.given(this.opened)
			.when(breakPromise(INCIDENT, 3, NOW.plus(Duration.ofMinutes(5)).plusSeconds(1)))
			.expectNoEvents()
			.expectException(violation("occurred-in-future"));
	}

	@Test
	void fiveMinutesOfClockSkewAreTolerated() {
		this.fixture.given(this.opened)
			.when(breakPromise(INCIDENT, 3, NOW.plus(Duration.ofMinutes(5))))
			.expectSuccessfulHandlerExecution();
	}

	@Test
	void severityIsFromOneToFive() {
		this.fixture.given(this.opened)
			.when(breakPromise(INCIDENT, 6, NOW))
			.expectNoEvents()
			.expectException(violation("severity-out-of-range"));
		this.fixture.given(this.opened)
			.when(breakPromise(INCIDENT, 0, NOW))
			.expectNoEvents()
			.expectException(violation("severity-out-of-range"));
	}

	@Test
	void anIncidentIdIsRecordedOnce() {
		this.fixture
			.given(this.opened,
					new PromiseBroken(ID, INCIDENT, null, Party.VENDOR, 4, "first",
							Instant.parse("2026-02-01T10:00:00Z"), "alice"))
			.when(breakPromise(INCIDENT, 4, NOW))
			.expectNoEvents()
			.expectException(violation("incident-already-recorded"));
	}

	@Test
	void nothingIsRecordedOnAnUnknownEngagement() {
		this.fixture.givenNoPriorActivity()
			.when(breakPromise(INCIDENT, 4, NOW))
			.expectNoEvents()
			.expectException(AggregateNotFoundException.class);
	}

	private static Matcher<RuleViolation> violation(String code) {
		return new CustomTypeSafeMatcher<>("a rule violation with code " + code) {
			@Override
			protected boolean matchesSafely(RuleViolation violation) {
				return violation.code().equals(code);
			}
		};
	}

	private static BreakPromise breakPromise(String incidentId, int severity, Instant occurredAt) {
		return new BreakPromise(ID, incidentId, null, Party.VENDOR, severity, "audit found a missed obligation",
				occurredAt, "alice");
	}

}
