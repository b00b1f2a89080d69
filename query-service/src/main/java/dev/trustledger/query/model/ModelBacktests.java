package dev.trustledger.query.model;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.generation.ScoringModels;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.query.projection.ScoreProjection;
import dev.trustledger.scoring.backtest.Backtest;
import dev.trustledger.support.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.bson.Document;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * How well a model, live or candidate, would have predicted the recorded outcomes
 * ({@link Backtest}): every engagement's history is read from the generation in use, as
 * recorded, and scored under the model asked for.
 */
@RestController
class ModelBacktests {

	private static final Pattern DAYS = Pattern.compile("(\\d{1,4})d");

	private final ScoringModels models;

	private final Generations generations;

	private final EngagementProjection projection;

	private final ScoreProjection scores;

	ModelBacktests(ScoringModels models, Generations generations, EngagementProjection projection,
			ScoreProjection scores) {
		this.models = models;
		this.generations = generations;
		this.projection = projection;
		this.scores = scores;
	}

	/**
	 * @param horizon how long before each outcome it is scored: {@code 60d}, or an
	 * ISO-8601 duration ({@code P60D})
	 */
	@Operation(summary = "Back-test a model against the recorded outcomes")
	@ApiResponse(responseCode = "200", description = "How well the model told bad outcomes from good ones",
			content = @Content(schema = @Schema(implementation = BacktestAnswer.class)))
	@ApiResponse(responseCode = "400", description = "An unreadable horizon",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "404", description = "No such model",
			content = @Content(mediaType = "application/problem+json"))
	@GetMapping("/api/models/{version}/backtest")
	ResponseEntity<?> backtest(@PathVariable String version, @RequestParam(defaultValue = "60d") String horizon) {
		if (!this.models.exists(version)) {
			return Problems.answer(HttpStatus.NOT_FOUND, "model-not-found", "version",
					"There is no scoring model " + version + "; upload it with PUT /api/models/" + version + ".");
		}
		Duration ahead = horizon(horizon);
		if (ahead == null || ahead.isNegative() || ahead.compareTo(Duration.ofDays(3650)) > 0) {
			return Problems.answer(HttpStatus.BAD_REQUEST, "invalid-field", "horizon",
					"horizon is a number of days such as 60d, or an ISO-8601 duration such as P60D, up to ten years.");
		}
		Generation generation = this.generations.current();
		List<Backtest.History> histories = new ArrayList<>();
		List<Document> engagements = new ArrayList<>();
		this.projection.forEach(generation, new Document(), engagements::add);
		for (Document engagement : engagements) {
			String engagementId = engagement.getString("_id");
			histories.add(new Backtest.History(engagementId, this.scores.recorded(generation, engagementId,
					engagement.getList("historyMonths", String.class, List.of()))));
		}
		Backtest.Report report = Backtest.run(this.models.engine(version), histories, ahead, Backtest.SEED);
		return ResponseEntity.ok(BacktestAnswer.of(report));
	}

	private static Duration horizon(String text) {
		Matcher days = DAYS.matcher(text);
		if (days.matches()) {
			return Duration.ofDays(Long.parseLong(days.group(1)));
		}
		try {
			return Duration.parse(text);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/**
	 * A back-test as the API answers it: what is undefined (an AUC without both kinds of
	 * outcome) is {@code null}.
	 *
	 * @param horizonDays how long before each outcome it was scored
	 * @param unscored outcomes whose engagement had nothing known a horizon before
	 * @param predictors trust, mutual responsibility and the naive baseline
	 * @param calibration by trust's band at the horizon: outcomes, bad ones, their rate
	 * @param healthyShare the share of bad outcomes that were healthy at the horizon
	 * @param medianLeadDays from first entering at-risk to a bad outcome
	 * @param neverAtRisk bad outcomes never at risk before them
	 * @param missedBad the bad outcomes that looked healthiest
	 * @param missedGood the good outcomes that looked worst
	 */
	@Schema(name = "Backtest")
	record BacktestAnswer(String model, long horizonDays, int outcomes, long bad, long good, int unscored,
			Map<String, PredictorAnswer> predictors, Map<String, BandAnswer> calibration, Double healthyShare,
			Double medianLeadDays, long neverAtRisk, List<Miss> missedBad, List<Miss> missedGood) {

		static BacktestAnswer of(Backtest.Report report) {
			Map<String, PredictorAnswer> predictors = new LinkedHashMap<>();
			report.predictors().forEach((name, predictor) -> predictors.put(name, PredictorAnswer.of(predictor)));
			Map<String, BandAnswer> calibration = new LinkedHashMap<>();
			report.calibration()
				.forEach((band, rate) -> calibration.put(band,
						new BandAnswer(rate.outcomes(), rate.bad(), defined(rate.badRate()))));
			return new BacktestAnswer(report.model(), report.horizon().toDays(), report.outcomes(), report.bad(),
					report.good(), report.unscored(), predictors, calibration, defined(report.healthyShare()),
					report.medianLeadDays(), report.neverAtRisk(), misses(report.missedBad()),
					misses(report.missedGood()));
		}

		private static List<Miss> misses(List<Backtest.Observation> observations) {
			return observations.stream()
				.map((o) -> new Miss(o.engagementId(), o.kind(), o.outcomeAt(), round(o.trust()), o.band().name(),
						"/engagement.html?id=" + java.net.URLEncoder.encode(o.engagementId(),
								java.nio.charset.StandardCharsets.UTF_8)))
				.toList();
		}

	}

	/**
	 * @param auc the ROC AUC over every outcome
	 * @param aucLow the lower end of its bootstrap 95 % interval (engagements resampled)
	 * @param aucHigh the upper end
	 * @param versusBaselineLow the lower end of the interval of this AUC less the
	 * baseline's
	 * @param versusBaselineHigh its upper end
	 * @param aucByKind each kind of bad outcome against every good one
	 * @param topDecileLift the bad rate of the riskiest tenth over the overall rate
	 * @param roc the curve's points: false-positive rate, true-positive rate
	 */
	@Schema(name = "BacktestPredictor")
	record PredictorAnswer(Double auc, Double aucLow, Double aucHigh, Double versusBaselineLow,
			Double versusBaselineHigh, Map<String, Double> aucByKind, Double topDecileLift, List<List<Double>> roc) {

		static PredictorAnswer of(Backtest.Predictor predictor) {
			Map<String, Double> byKind = new LinkedHashMap<>();
			predictor.aucByKind().forEach((kind, auc) -> byKind.put(kind, defined(auc)));
			return new PredictorAnswer(defined(predictor.auc()), defined(predictor.aucLow()),
					defined(predictor.aucHigh()), defined(predictor.versusBaselineLow()),
					defined(predictor.versusBaselineHigh()), byKind, defined(predictor.topDecileLift()),
					predictor.roc().stream().map((point) -> List.of(round(point[0]), round(point[1]))).toList());
		}

	}

	@Schema(name = "BacktestBand")
	record BandAnswer(long outcomes, long bad, Double badRate) {
	}

	/**
	 * An outcome the model got most wrong, and where to see its engagement.
	 *
	 * @param trust trust a horizon before it, as known then
	 * @param band the band of that trust
	 * @param timeline the engagement's page on the dashboard
	 */
	@Schema(name = "BacktestMiss")
	record Miss(String engagementId, String kind, java.time.Instant outcomeAt, double trust, String band,
			String timeline) {
	}

	private static Double defined(double value) {
		return Double.isNaN(value) ? null : round(value);
	}

	private static double round(double value) {
		return Math.round(value * 10_000) / 10_000.0;
	}

}
