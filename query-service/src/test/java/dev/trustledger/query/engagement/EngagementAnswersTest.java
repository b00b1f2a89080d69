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

	/**
	 * An engagement with {@code promises} open promises, the first falling due at DUE.
	 */
	private static EngagementView view(int promises) {
		Document open = new Document();
		for (int i = 0; i < promises; i++) {
			open.append("p-" + i,
					new Document("party", "CLIENT").append("severity", 2)
						.append("description", "the weekly report, part " + i)
						.append("state", "OPEN")
						.append("madeAt", Date.from(NOW.minus(Duration.ofDays(1))))
						.append("dueBy", Date.from(DUE.plus(Duration.ofDays(i)))));
		}
		Document document = new Document("_id", "e-1").append("lastSequence", 4L)
			.append("lastEventAt", Date.from(NOW.minus(Duration.ofDays(1))))
			.append("scores", new Document("trust", 70.5).append("band", "HEALTHY"))
			.append("promises", open);
		return EngagementView.whole(document, 30, NOW);
	}

	@Test
	void anAnswerIsGivenBackAtItsSequenceThroughTheInstantTheClockWouldChangeIt() throws Exception {
		EngagementView view = view(1);
		Timelines.Answer written = this.answers.answer(3, 4, "e-1", () -> view, 30, NOW, true);
		assertThat(written.gzip()).isNull();
		assertThat(written.json()).isEqualTo(ServiceJson.mapper().writeValueAsBytes(view));
		assertThat(this.answers.kept(3, 4, "e-1", NOW)).isNotNull();
		// nor before it was made, should the clock be set back
		assertThat(this.answers.kept(3, 4, "e-1", NOW.minusMillis(1))).isNull();
		assertThat(this.answers.kept(3, 4, "e-1", DUE).json()).isEqualTo(written.json());
		assertThat(this.answers.kept(3, 4, "e-1", DUE.plusMillis(1))).isNull();
		assertThat(this.answers.kept(3, 5, "e-1", NOW)).isNull();
		assertThat(this.answers.kept(4, 4, "e-1", NOW)).isNull();
		assertThat(this.answers.kept(3, 4, "e-2", NOW)).isNull();
	}

	@Test
	void anAnswerOfAKilobyteOrMoreIsKeptCompressedAndGivenBackWhole() throws Exception {
		EngagementView view = view(12);
		byte[] json = ServiceJson.mapper().writeValueAsBytes(view);
		assertThat(json.length).isGreaterThan(Timelines.Answer.COMPRESSED_FROM);
		Timelines.Answer written = this.answers.answer(3, 4, "e-1", () -> view, 30, NOW, false);
		assertThat(written.gzip()).isNotNull();
		Timelines.Answer kept = this.answers.kept(3, 4, "e-1", NOW);
		assertThat(kept.weight()).isEqualTo(written.gzip().length).isLessThan(json.length);
		assertThat(kept.json()).isEqualTo(json);
	}

}
