package dev.trustledger.scoring;

/**
 * Decayed masses of positive and negative evidence for one component, read against its
 * prior as a Beta-style estimate: little evidence stays close to the prior, and each new
 * observation moves the estimate less as evidence accumulates.
 */
final class Evidence {

	private final ScoringModel.Prior prior;

	private double positive;

	private double negative;

	Evidence(ScoringModel.Prior prior) {
		this.prior = prior;
	}

	/** Evidence of these masses, as a checkpoint kept them. */
	Evidence(ScoringModel.Prior prior, double positive, double negative) {
		this.prior = prior;
		this.positive = positive;
		this.negative = negative;
	}

	double positiveMass() {
		return this.positive;
	}

	double negativeMass() {
		return this.negative;
	}

	/** An independent copy, for a checkpoint of the fold. */
	Evidence copy() {
		Evidence copy = new Evidence(this.prior);
		copy.positive = this.positive;
		copy.negative = this.negative;
		return copy;
	}

	void positive(double weight) {
		this.positive += weight;
	}

	void negative(double weight) {
		this.negative += weight;
	}

	/**
	 * Old evidence counts less: both masses shrink by the same factor, towards the prior.
	 */
	void decay(double factor) {
		this.positive *= factor;
		this.negative *= factor;
	}

	double mean() {
		double alpha = this.prior.positive() + this.positive;
		double beta = this.prior.negative() + this.negative;
		return alpha / (alpha + beta);
	}

	double mass() {
		return this.positive + this.negative;
	}

}
