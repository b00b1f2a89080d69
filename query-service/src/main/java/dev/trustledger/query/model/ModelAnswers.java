package dev.trustledger.query.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** The answers of the scoring-model API. */
final class ModelAnswers {

	private ModelAnswers() {
	}

	/**
	 * The scoring models this service knows.
	 *
	 * @param models every version, the shipped one and each uploaded candidate
	 * @param shipped the version that ships with the service
	 * @param live the version that scores the current generation
	 */
	@Schema(name = "Models")
	record ModelList(List<String> models, String shipped, String live) {
	}

	/**
	 * A candidate model was stored.
	 *
	 * @param version its version
	 * @param model where its YAML can be read
	 */
	@Schema(name = "ModelSaved")
	record Saved(String version, String model) {
	}

	/**
	 * A candidate against the live model, for every engagement of the candidate's latest
	 * sandbox, biggest movers first.
	 *
	 * @param candidate the candidate's version
	 * @param live the live model's version
	 * @param sandboxGeneration the generation the candidate scored
	 * @param liveGeneration the generation the live model scored
	 * @param sandboxFinishedAt when the sandbox run finished; events recorded since are
	 * not in it
	 * @param at the business times compared at, besides now
	 * @param biggestMovers the engagements whose trust the candidate moves most, at most
	 * {@code limit}
	 * @param engagements every engagement compared, in the same order
	 */
	@Schema(name = "ModelComparison")
	record Comparison(String candidate, String live, int sandboxGeneration, int liveGeneration,
			Instant sandboxFinishedAt, List<Instant> at, List<Engagement> biggestMovers, List<Engagement> engagements) {
	}

	/**
	 * One engagement under both models.
	 *
	 * @param live its scores now under the live model
	 * @param candidate its scores now under the candidate
	 * @param trustDelta candidate trust minus live trust
	 * @param mutualResponsibilityDelta candidate mutual responsibility minus live
	 * @param sandboxBehind whether events were recorded since the sandbox was built
	 * @param atDates the same at each business time asked for
	 */
	@Schema(name = "ComparedEngagement")
	record Engagement(String engagementId, String clientName, Side live, Side candidate, BigDecimal trustDelta,
			BigDecimal mutualResponsibilityDelta, boolean sandboxBehind, List<AtDate> atDates) {
	}

	/**
	 * One engagement under both models at a business time.
	 *
	 * @param trustDelta candidate trust minus live trust
	 */
	@Schema(name = "ComparedAtDate")
	record AtDate(Instant at, Side live, Side candidate, BigDecimal trustDelta) {
	}

	/** Scores under one model. */
	@Schema(name = "ComparedScores")
	record Side(BigDecimal trust, BigDecimal mutualResponsibility, String band) {
	}

}
