package dev.trustledger.query.engagement;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trustledger.query.projection.EngagementDocuments;
import dev.trustledger.scoring.Band;
import dev.trustledger.scoring.ScorePoint;
import dev.trustledger.scoring.ScoringEngine;
import io.swagger.v3.oas.annotations.media.Schema;
import org.bson.Document;

/**
 * An engagement as the API shows it: who it is with, how far it has been projected, its
 * counts and its scores. The engagement answer holds every field below; a portfolio item
 * leaves out the promises and the last change; an answer as of a date has the scores as
 * they stood then, without the trend and the last change. A field that does not apply is
 * left out, except the sponsor, which is {@code null} while there is none.
 *
 * @param engagementId the engagement
 * @param clientName the client
 * @param accountTeam the vendor's account team
 * @param deliveryLead the vendor's delivery lead
 * @param sponsor the client's sponsor, {@code null} while the engagement has none
 * @param openedAt when the engagement was opened (business time)
 * @param status {@code OPEN} or {@code CLOSED}
 * @param lastSequence the sequence of the last event projected: the projection has caught
 * up with a command once this reaches the sequence the command answered with
 * @param eventCount how many events have been projected
 * @param lastRecordedAt when the last event was recorded
 * @param lastEventAt when the latest event occurred (business time)
 * @param sequenceGaps sequences the projection never received, should any be missing
 * @param promises every promise of the engagement by its id (the engagement answer only)
 * @param openPromises the ids of the promises still open (the engagement answer only)
 * @param overduePromises the open ones past their due date by this service's clock
 * @param incidentCounts how many incidents of each type were recorded
 * @param brokenPromises how many promises each side broke ({@code vendor},
 * {@code client})
 * @param trust relationship trust, 0 to 100
 * @param mutualResponsibility how well both sides carry their end, 0 to 100
 * @param components the four Trust Equation components
 * @param vendorOwnership the vendor's side of mutual responsibility
 * @param clientOwnership the client's side of mutual responsibility
 * @param band where trust stands against the model's thresholds
 * @param trend30d the change of trust over the last 30 days (now only)
 * @param sparkline trust after each of the latest events, oldest first
 * @param lastChange why the scores moved at the latest event (the engagement answer, now
 * only)
 * @param modelVersion the scoring model of the scores
 * @param stale whether no event occurred for the model's stale period (by this service's
 * clock, or before {@code asOf})
 * @param asOf the business time the scores stood at, when one was asked for
 * @param knownAt the recording time the scores were known by, when one was asked for
 * @param sponsorless whether the engagement was without a sponsor then (answers as of a
 * date)
 * @param outcome what finally happened: an ending, a renewal decision, escalations
 */
@Schema(name = "Engagement")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EngagementView(String engagementId, String clientName, String accountTeam, String deliveryLead,
		@JsonInclude(JsonInclude.Include.ALWAYS) @Schema(nullable = true) String sponsor, Instant openedAt,
		String status, Long lastSequence, Integer eventCount, Instant lastRecordedAt, Instant lastEventAt,
		List<SequenceGap> sequenceGaps, Map<String, Promise> promises, List<String> openPromises,
		List<String> overduePromises, Map<String, Integer> incidentCounts, Map<String, Integer> brokenPromises,
		BigDecimal trust, BigDecimal mutualResponsibility, ScorePoint.Components components, BigDecimal vendorOwnership,
		BigDecimal clientOwnership, Band band, BigDecimal trend30d, List<BigDecimal> sparkline,
		ScorePoint.Explanation lastChange, String modelVersion, Boolean stale, Instant asOf, Instant knownAt,
		Boolean sponsorless, Outcome outcome) {

	/**
	 * What finally happened to the relationship, as recorded: labels that scores are
	 * tested against, not evidence they are made of.
	 *
	 * @param ending how the engagement ended ({@code COMPLETED_AS_AGREED},
	 * {@code ENDED_BY_CLIENT}, {@code ENDED_BY_VENDOR}), if it did
	 * @param endedAt when it ended (business time)
	 * @param renewal the latest renewal decision ({@code RENEWED}, {@code EXPANDED},
	 * {@code CONTRACTED}, {@code NOT_RENEWED}), if any
	 * @param renewalDecidedAt when it was decided
	 * @param escalations how many times the client escalated to the vendor's leadership
	 */
	@Schema(name = "EngagementOutcome")
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Outcome(String ending, Instant endedAt, String renewal, Instant renewalDecidedAt,
			Integer escalations) {

		static Outcome of(Document document) {
			Document ended = document.get("ending", Document.class);
			Document renewal = document.get("renewal", Document.class);
			Document counts = document.get("incidentCounts", Document.class);
			Integer escalations = (counts != null) ? counts.getInteger("CLIENT_ESCALATED") : null;
			if (ended == null && renewal == null && escalations == null) {
				return null;
			}
			return new Outcome((ended != null) ? ended.getString("ending") : null,
					(ended != null) ? instant(ended.get("occurredAt")) : null,
					(renewal != null) ? renewal.getString("decision") : null,
					(renewal != null) ? instant(renewal.get("occurredAt")) : null, escalations);
		}

	}

	/**
	 * A promise and where it stands.
	 *
	 * @param party who made it: {@code VENDOR} or {@code CLIENT}
	 * @param severity how much it matters, 1 to 5
	 * @param state {@code OPEN}, {@code KEPT} or {@code BROKEN}
	 * @param resolvedAt when it was kept or broken
	 */
	public record Promise(String party, Integer severity, @Schema(nullable = true) String description, Instant madeAt,
			Instant dueBy, String state, Instant resolvedAt) {
	}

	/**
	 * A sequence the projection expected and the one it received instead.
	 *
	 * @param expected the sequence that never arrived
	 * @param received the sequence that came in its place
	 */
	public record SequenceGap(long expected, long received) {
	}

	/**
	 * An engagement from its projected document with its current scores, as the portfolio
	 * lists it: without its promises and its last change.
	 * @param staleAfterDays the model's stale period
	 * @param now this service's clock at read time
	 */
	public static EngagementView of(Document document, int staleAfterDays, Instant now) {
		Document scores = document.get("scores", Document.class);
		Instant lastEventAt = instant(document.get("lastEventAt"));
		boolean hasScores = scores != null;
		return new EngagementView(document.getString("_id"), document.getString("clientName"),
				document.getString("accountTeam"), document.getString("deliveryLead"), document.getString("sponsor"),
				instant(document.get("openedAt")), document.getString("status"),
				longValue(document.get("lastSequence")), document.getInteger("eventCount"),
				instant(document.get("lastRecordedAt")), lastEventAt,
				gaps(document.getList("sequenceGaps", Document.class)), null, null, null,
				counts(document.get("incidentCounts", Document.class)),
				counts(document.get("brokenPromises", Document.class)), hasScores ? decimal(scores.get("trust")) : null,
				hasScores ? decimal(scores.get("mutualResponsibility")) : null,
				hasScores ? components(scores.get("components", Document.class)) : null,
				hasScores ? decimal(scores.get("vendorOwnership")) : null,
				hasScores ? decimal(scores.get("clientOwnership")) : null,
				hasScores ? Band.valueOf(scores.getString("band")) : null,
				hasScores ? decimal(scores.get("trend30d")) : null,
				hasScores ? scores.getList("sparkline", Number.class, List.of())
					.stream()
					.map(EngagementView::decimal)
					.toList() : null,
				null, hasScores ? scores.getString("modelVersion") : null,
				hasScores ? stale(lastEventAt, staleAfterDays, now) : null, null, null, null, Outcome.of(document));
	}

	/**
	 * The whole engagement: with its promises, the open and the overdue ones (past due by
	 * {@code now}), and why the scores moved at its latest event.
	 */
	public static EngagementView whole(Document document, int staleAfterDays, Instant now) {
		EngagementView view = of(document, staleAfterDays, now);
		Map<String, Promise> promises = new LinkedHashMap<>();
		List<String> open = new ArrayList<>();
		List<String> overdue = new ArrayList<>();
		Document stored = document.get("promises", Document.class);
		if (stored != null) {
			stored.forEach((promiseId, value) -> {
				Document promise = (Document) value;
				promises.put(promiseId, new Promise(promise.getString("party"), promise.getInteger("severity"),
						promise.getString("description"), instant(promise.get("madeAt")), instant(promise.get("dueBy")),
						promise.getString("state"), instant(promise.get("resolvedAt"))));
				if ("OPEN".equals(promise.getString("state"))) {
					open.add(promiseId);
					Instant dueBy = instant(promise.get("dueBy"));
					if (dueBy != null && dueBy.isBefore(now)) {
						overdue.add(promiseId);
					}
				}
			});
		}
		Document scores = document.get("scores", Document.class);
		ScorePoint.Explanation lastChange = (scores != null) ? explanation(scores.get("explanation", Document.class))
				: null;
		return new EngagementView(view.engagementId, view.clientName, view.accountTeam, view.deliveryLead, view.sponsor,
				view.openedAt, view.status, view.lastSequence, view.eventCount, view.lastRecordedAt, view.lastEventAt,
				view.sequenceGaps, promises, open, overdue, view.incidentCounts, view.brokenPromises, view.trust,
				view.mutualResponsibility, view.components, view.vendorOwnership, view.clientOwnership, view.band,
				view.trend30d, view.sparkline, lastChange, view.modelVersion, view.stale, null, null, null,
				view.outcome);
	}

	/**
	 * This view with the scores as they stood at business time {@code asOf} (as known at
	 * {@code knownAt}, when given), stale against {@code asOf}, and without the trend and
	 * the last change, which are the current ones.
	 */
	public EngagementView asOf(ScoringEngine.Scores scores, Instant asOf, Instant knownAt, int staleAfterDays) {
		return new EngagementView(this.engagementId, this.clientName, this.accountTeam, this.deliveryLead, this.sponsor,
				this.openedAt, this.status, this.lastSequence, this.eventCount, this.lastRecordedAt, this.lastEventAt,
				this.sequenceGaps, this.promises, this.openPromises, this.overduePromises, this.incidentCounts,
				this.brokenPromises, scores.trustPoints(), scores.mutualPoints(), scores.components(),
				BigDecimal.valueOf(scores.vendor(), 2), BigDecimal.valueOf(scores.client(), 2), scores.band(), null,
				this.sparkline, null, this.modelVersion, stale(this.lastEventAt, staleAfterDays, asOf), asOf, knownAt,
				scores.sponsorless(), null);
	}

	/**
	 * A portfolio item as of a date: who the engagement is with (as now), and its scores
	 * at {@code asOf} with the trend over the 30 days before.
	 */
	public static EngagementView standing(Document document, Instant asOf, ScoringEngine.Scores scores,
			BigDecimal trend30d, Instant lastEventAt, int staleAfterDays) {
		return new EngagementView(document.getString("_id"), document.getString("clientName"),
				document.getString("accountTeam"), document.getString("deliveryLead"), document.getString("sponsor"),
				null, null, null, null, null, lastEventAt, null, null, null, null, null, null, scores.trustPoints(),
				scores.mutualPoints(), null, null, null, scores.band(), trend30d, null, null, null,
				stale(lastEventAt, staleAfterDays, asOf), asOf, null, scores.sponsorless(), null);
	}

	/**
	 * This view with {@link #stale} as of {@code now}; the same view when that is
	 * unchanged.
	 */
	public EngagementView staleAt(int staleAfterDays, Instant now) {
		if (this.stale == null) {
			return this;
		}
		boolean at = stale(this.lastEventAt, staleAfterDays, now);
		return (at == this.stale) ? this : new EngagementView(this.engagementId, this.clientName, this.accountTeam,
				this.deliveryLead, this.sponsor, this.openedAt, this.status, this.lastSequence, this.eventCount,
				this.lastRecordedAt, this.lastEventAt, this.sequenceGaps, this.promises, this.openPromises,
				this.overduePromises, this.incidentCounts, this.brokenPromises, this.trust, this.mutualResponsibility,
				this.components, this.vendorOwnership, this.clientOwnership, this.band, this.trend30d, this.sparkline,
				this.lastChange, this.modelVersion, at, this.asOf, this.knownAt, this.sponsorless, this.outcome);
	}

	/**
	 * The last instant at which {@link #whole} still makes this view of the same
	 * document: its staleness and its overdue promises follow the clock, nothing else in
	 * it does. {@link Instant#MAX} when nothing in it will change with time.
	 * @param staleAfterDays the model's stale period this view was made with
	 */
	Instant unchangedThrough(int staleAfterDays) {
		Instant through = Instant.MAX;
		if (Boolean.FALSE.equals(this.stale) && this.lastEventAt != null) {
			through = this.lastEventAt.plus(Duration.ofDays(staleAfterDays));
		}
		if (this.promises != null && this.openPromises != null) {
			java.util.Set<String> overdue = new java.util.HashSet<>(
					(this.overduePromises != null) ? this.overduePromises : List.of());
			for (String promiseId : this.openPromises) {
				Promise promise = this.promises.get(promiseId);
				Instant dueBy = (promise != null) ? promise.dueBy() : null;
				if (dueBy != null && !overdue.contains(promiseId) && dueBy.isBefore(through)) {
					through = dueBy;
				}
			}
		}
		return through;
	}

	private static boolean stale(Instant lastEventAt, int staleAfterDays, Instant at) {
		return lastEventAt != null && lastEventAt.plus(Duration.ofDays(staleAfterDays)).isBefore(at);
	}

	static ScorePoint.Components components(Document components) {
		return (components != null) ? new ScorePoint.Components(decimal(components.get("credibility")),
				decimal(components.get("reliability")), decimal(components.get("intimacy")),
				decimal(components.get("selfOrientation"))) : null;
	}

	static ScorePoint.Explanation explanation(Document explanation) {
		if (explanation == null) {
			return null;
		}
		Document sides = explanation.get("mutualContributions", Document.class);
		return new ScorePoint.Explanation(decimal(explanation.get("trustChange")),
				components(explanation.get("trustContributions", Document.class)),
				decimal(explanation.get("mutualChange")), (sides != null)
						? new ScorePoint.Sides(decimal(sides.get("vendor")), decimal(sides.get("client"))) : null);
	}

	static BigDecimal decimal(Object value) {
		return EngagementDocuments.decimal(value);
	}

	static Instant instant(Object value) {
		if (value instanceof Date date) {
			return date.toInstant();
		}
		return (value instanceof String text) ? Instant.parse(text) : null;
	}

	private static Long longValue(Object value) {
		return (value instanceof Number number) ? number.longValue() : null;
	}

	private static Map<String, Integer> counts(Document counts) {
		if (counts == null) {
			return null;
		}
		Map<String, Integer> map = new LinkedHashMap<>();
		counts.forEach((key, value) -> map.put(key, ((Number) value).intValue()));
		return map;
	}

	private static List<SequenceGap> gaps(List<Document> gaps) {
		return (gaps == null || gaps.isEmpty()) ? null
				: gaps.stream()
					.map((gap) -> new SequenceGap(longValue(gap.get("expected")), longValue(gap.get("received"))))
					.toList();
	}

}
