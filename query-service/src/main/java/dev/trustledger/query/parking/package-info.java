/**
 * Parked records: what the projection could not apply, kept with the reason, holding back
 * the later events of its engagement while every other engagement carries on; listed,
 * retried and discarded by an operator.
 */
package dev.trustledger.query.parking;
