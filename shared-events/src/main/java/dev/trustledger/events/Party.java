package dev.trustledger.events;

/** The two sides of an engagement. */
public enum Party {

	VENDOR, CLIENT

}
