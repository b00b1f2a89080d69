package dev.trustledger.query.engagement;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import dev.trustledger.query.ServiceJson;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An engagement answer is kept under its generation and sequence, and given back only
 * through the instant the clock would change it.
 */
class EngagementAnswersTest {

	private static final Instant NOW = Instant.parse("2026-03-05T12:00:00Z");

	private static final Instant DUE = NOW.plus(Duration.ofDays(2));

	private final EngagementAnswers answers = new EngagementAnswers(ServiceJson.mapper(), 1 << 20);

	private static EngagementView view() {
		Document promise = new Document("party", "CLIENT").append("severity", 2)
			.append("state", "OPEN")
			.append("madeAt", Date.from(NOW.minus(Duration.ofDays(1))))
			.append("dueBy", Date.from(DUE));
		Document document = new Document("_id", "e-1").append("lastSequence", 4L)
			.append("lastEventAt", Date.from(NOW.minus(Duration.ofDays(1))))
			.append("scores", new Document("trust", 70.5).append("band", "HEALTHY"))
			.append("promises", new Document("p-1", promise));
		return EngagementView.whole(document, 30, NOW);
	}

	@Test
	void anAnswerIsGivenBackAtItsSequenceThroughTheInstantTheClockWouldChangeIt() throws Exception {
		EngagementView view = view();
		Timelines.Answer written = this.answers.answer(3, 4, view, 30, true);
		assertThat(written.json()).isEqualTo(ServiceJson.mapper().writeValueAsBytes(view));
		assertThat(this.answers.kept(3, 4, "e-1", NOW)).isNotNull();
		assertThat(this.answers.kept(3, 4, "e-1", DUE).json()).isEqualTo(written.json());
		assertThat(this.answers.kept(3, 4, "e-1", DUE.plusMillis(1))).isNull();
		assertThat(this.answers.kept(3, 5, "e-1", NOW)).isNull();
		assertThat(this.answers.kept(4, 4, "e-1", NOW)).isNull();
		assertThat(this.answers.kept(3, 4, "e-2", NOW)).isNull();
	}

}
