package dev.trustledger.events.outcome;

/** How an engagement ended. */
public enum Ending {

	/** The work was done and the engagement closed as both sides agreed. */
	COMPLETED_AS_AGREED,

	/** The client ended it before its agreed end. */
	ENDED_BY_CLIENT,

	/** The vendor ended it before its agreed end. */
	ENDED_BY_VENDOR

}
