package dev.trustledger.query.engagement;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An engagement answer is kept until the clock would change it: through the instant its
 * first open promise falls due or it goes stale, whichever comes first.
 */
class EngagementViewTest {

	private static final int STALE_AFTER_DAYS = 30;

	private static final Instant LAST_EVENT = Instant.parse("2026-03-01T09:00:00Z");

	private static final Instant NOW = Instant.parse("2026-03-05T12:00:00Z");

	private static Document promise(String state, Instant dueBy) {
		Document promise = new Document("party", "VENDOR").append("severity", 3)
			.append("description", "a report")
			.append("madeAt", Date.from(LAST_EVENT.minus(Duration.ofDays(10))))
			.append("state", state);
		return (dueBy != null) ? promise.append("dueBy", Date.from(dueBy)) : promise;
	}

	private static Document engagement(Document promises) {
		return new Document("_id", "e-1").append("clientName", "Client")
			.append("lastSequence", 7L)
			.append("eventCount", 8)
			.append("lastEventAt", Date.from(LAST_EVENT))
			.append("scores", new Document("trust", 61.25).append("mutualResponsibility", 55.5).append("band", "WATCH"))
			.append("promises", promises);
	}

	/**
	 * What {@link EngagementView#whole} makes of the document at {@code now} is what it
	 * makes at the instant given, and something else a millisecond later.
	 */
	private static void assertUnchangedThroughExactly(Document document, Instant expected) {
		EngagementView now = EngagementView.whole(document, STALE_AFTER_DAYS, NOW);
		Instant through = now.unchangedThrough(STALE_AFTER_DAYS);
		assertThat(through).isEqualTo(expected);
		assertThat(EngagementView.whole(document, STALE_AFTER_DAYS, through)).isEqualTo(now);
		assertThat(EngagementView.whole(document, STALE_AFTER_DAYS, through.plusMillis(1))).isNotEqualTo(now);
	}

	@Test
	void anAnswerHoldsUntilItsFirstOpenPromiseFallsDue() {
		Instant soonest = NOW.plus(Duration.ofDays(3));
		Document promises = new Document("later", promise("OPEN", NOW.plus(Duration.ofDays(9))))
			.append("soonest", promise("OPEN", soonest))
			.append("overdue", promise("OPEN", NOW.minus(Duration.ofDays(1))))
			.append("kept", promise("KEPT", NOW.plus(Duration.ofDays(1))))
			.append("undated", promise("OPEN", null));
		EngagementView view = EngagementView.whole(engagement(promises), STALE_AFTER_DAYS, NOW);
		assertThat(view.overduePromises()).containsExactly("overdue");
		assertThat(view.stale()).isFalse();
		assertUnchangedThroughExactly(engagement(promises), soonest);
	}

	@Test
	void anAnswerWithNoPromiseFallingDueHoldsUntilTheEngagementGoesStale() {
		Document promises = new Document("overdue", promise("OPEN", NOW.minus(Duration.ofDays(1))))
			.append("broken", promise("BROKEN", NOW.plus(Duration.ofDays(1))))
			.append("later", promise("OPEN", LAST_EVENT.plus(Duration.ofDays(STALE_AFTER_DAYS + 5))));
		assertUnchangedThroughExactly(engagement(promises), LAST_EVENT.plus(Duration.ofDays(STALE_AFTER_DAYS)));
	}

	@Test
	void aStaleAnswerWithNothingFallingDueHoldsForEver() {
		Instant muchLater = LAST_EVENT.plus(Duration.ofDays(STALE_AFTER_DAYS + 1));
		Document document = engagement(new Document("kept", promise("KEPT", NOW)));
		EngagementView view = EngagementView.whole(document, STALE_AFTER_DAYS, muchLater);
		assertThat(view.stale()).isTrue();
		assertThat(view.unchangedThrough(STALE_AFTER_DAYS)).isEqualTo(Instant.MAX);
		// nor does an engagement without scores, which is never said to be stale
		EngagementView unscored = EngagementView.whole(
				new Document("_id", "e-2").append("lastSequence", 0L).append("lastEventAt", Date.from(LAST_EVENT)),
				STALE_AFTER_DAYS, NOW);
		assertThat(unscored.stale()).isNull();
		assertThat(unscored.unchangedThrough(STALE_AFTER_DAYS)).isEqualTo(Instant.MAX);
	}

}
