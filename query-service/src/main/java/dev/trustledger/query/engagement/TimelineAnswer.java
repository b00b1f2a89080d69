package dev.trustledger.query.engagement;

import java.time.Instant;
import java.util.List;

import dev.trustledger.scoring.ScorePoint;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An engagement's scored timeline in a range, at most {@code maxPoints} points.
 *
 * @param engagementId the engagement
 * @param granularity {@code event}, {@code day} or {@code week}
 * @param from the start of the range asked for, if any
 * @param to the end of the range asked for, if any
 * @param maxPoints the point budget of the answer
 * @param pointsInRange how many points the range holds at this granularity
 * @param reduced whether {@code points} holds fewer than {@code pointsInRange}: the first
 * and the last point, every point an alert belongs to (raised by it, or by the passing of
 * time: a promise overdue, a quiet spell, from its crossing on), every change of model,
 * and the lowest and highest scores of equal spans of time
 * @param points the points, oldest first
 * @param modelChanges changes of the live model in the range: the scores on either side
 * of one come from different models
 * @param everyPoint where every point of the range is, never reduced (the CSV export)
 */
@Schema(name = "Timeline")
public record TimelineAnswer(String engagementId, String granularity, @Schema(nullable = true) Instant from,
		@Schema(nullable = true) Instant to, int maxPoints, int pointsInRange, boolean reduced, List<ScorePoint> points,
		List<ModelChange> modelChanges, String everyPoint) {

	/**
	 * A change of the live scoring model.
	 *
	 * @param at when the new model became live
	 * @param fromModel the model before
	 * @param toModel the model after
	 * @param generation the projection generation the new model scored
	 */
	public record ModelChange(Instant at, String fromModel, String toModel, int generation) {
	}

}
