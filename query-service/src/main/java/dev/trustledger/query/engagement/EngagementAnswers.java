package dev.trustledger.query.engagement;

import java.time.Instant;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Engagement answers (the engagement now, not as of a date) kept in memory as the bytes
 * sent, compressed as timeline answers are ({@link Timelines.Answer}), under the
 * engagement's sequence they were read at and until the clock changes them: an answer
 * says which promises are overdue and whether the engagement is stale by this service's
 * clock, so it is kept only through the first instant at which either would change
 * ({@link EngagementView#unchangedThrough}). The controller gives a kept answer only at
 * the latest sequence this instance knows of, without asking the store
 * ({@link dev.trustledger.query.projection.LatestSequences}).
 * <p>
 * In Caffeine's cache, bounded by the bytes kept, whose policy (W-TinyLFU) keeps an
 * answer only when it is likely to be read again.
 */
@Component
class EngagementAnswers {

	private final Cache<String, Kept> answers;

	private final ObjectWriter writer;

	EngagementAnswers(ObjectMapper objectMapper,
			@Value("${trustledger.query.engagement-answer-cache-bytes:16777216}") long capacity) {
		this.writer = objectMapper.writerFor(EngagementView.class).without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
		this.answers = Caffeine.newBuilder()
			.maximumWeight(capacity)
			.weigher((String key, Kept kept) -> (int) Math.min(Integer.MAX_VALUE, kept.answer().weight()))
			.build();
	}

	/**
	 * The answer kept for the engagement at {@code sequence} of {@code generation}, if
	 * there is one and it still holds at {@code now}; otherwise {@code null}.
	 */
	Timelines.Answer kept(int generation, long sequence, String engagementId, Instant now) {
		Kept kept = this.answers.getIfPresent(key(generation, sequence, engagementId));
		return (kept != null && !now.isBefore(kept.madeAt()) && !now.isAfter(kept.through())) ? kept.answer() : null;
	}

	/**
	 * The answer kept for the engagement at {@code sequence}, if it still holds at
	 * {@code now} (this instance may know of a later sequence that is not in the store
	 * yet), or the one of the view {@code made} makes, written and kept.
	 * @param made the engagement now, from its document at {@code sequence}
	 * @param staleAfterDays the model's stale period the view is made with
	 * @param now the instant the view is made at: the answer is not given before it
	 * either, should the clock be set back
	 * @param asJson whether the answer is sent as it is (a client that does not accept
	 * gzip)
	 */
	Timelines.Answer answer(int generation, long sequence, String engagementId, Supplier<EngagementView> made,
			int staleAfterDays, Instant now, boolean asJson) {
		Timelines.Answer kept = kept(generation, sequence, engagementId, now);
		if (kept != null) {
			return kept;
		}
		EngagementView view = made.get();
		Timelines.Answer written = Timelines.Answer.write((out) -> this.writer.writeValue(out, view), asJson);
		this.answers.put(key(generation, sequence, engagementId),
				new Kept(written.kept(), now, view.unchangedThrough(staleAfterDays)));
		return written;
	}

	private static String key(int generation, long sequence, String engagementId) {
		return generation + "/" + sequence + "/" + engagementId;
	}

	/** An answer, the instant it was made at and the last instant it holds at. */
	private record Kept(Timelines.Answer answer, Instant madeAt, Instant through) {
	}

}
