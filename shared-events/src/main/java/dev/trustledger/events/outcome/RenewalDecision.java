package dev.trustledger.events.outcome;

/** What the client decided when the engagement came up for renewal. */
public enum RenewalDecision {

	/** Renewed on the same scope. */
	RENEWED,

	/** Renewed with more scope. */
	EXPANDED,

	/** Renewed with less scope. */
	CONTRACTED,

	/** Not renewed. */
	NOT_RENEWED

}
