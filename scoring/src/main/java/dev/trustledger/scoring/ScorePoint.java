package dev.trustledger.scoring;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The scores of an engagement right after one event, and why they moved. Every score is 0
 * to 100 with two decimals; the contributions in {@link #explanation()} add up exactly to
 * the change from the previous point.
 *
 * @param trust relationship trust
 * @param components the four Trust Equation components, each 0 to 100
 * @param mutualResponsibility how well both sides carry their own end
 * @param vendorOwnership the vendor's sub-score
 * @param clientOwnership the client's sub-score
 */
public record ScorePoint(long sequence, String eventId, String eventType, Instant occurredAt, BigDecimal trust,
		Components components, Band band, BigDecimal mutualResponsibility, BigDecimal vendorOwnership,
		BigDecimal clientOwnership, Explanation explanation, String modelVersion) {

	/** Credibility, reliability and intimacy raise trust; self-orientation lowers it. */
	public record Components(BigDecimal credibility, BigDecimal reliability, BigDecimal intimacy,
			BigDecimal selfOrientation) {
	}

	/**
	 * @param trustChange the change of trust since the previous point
	 * @param trustContributions how much of that change each component caused
	 * @param mutualChange the change of mutual responsibility
	 * @param mutualContributions how much of that each side caused
	 */
	public record Explanation(BigDecimal trustChange, Components trustContributions, BigDecimal mutualChange,
			Sides mutualContributions) {
	}

	public record Sides(BigDecimal vendor, BigDecimal client) {
	}

}
