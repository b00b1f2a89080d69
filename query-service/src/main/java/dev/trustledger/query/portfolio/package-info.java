/**
 * The portfolio: every engagement with its current scores, filtered by band, delivery
 * lead, account team or staleness, sorted by trust, mutual responsibility or 30-day
 * change, one page at a time; and the same as it stood at a business time.
 */
package dev.trustledger.query.portfolio;
