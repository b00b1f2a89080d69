package dev.trustledger.scoring;

/** Where a trust score stands against the model's thresholds. */
public enum Band {

	HEALTHY, WATCH, AT_RISK;

	static Band of(double trust, ScoringModel.Bands bands) {
		if (trust >= bands.healthy()) {
			return HEALTHY;
		}
		return (trust >= bands.watch()) ? WATCH : AT_RISK;
	}

}
