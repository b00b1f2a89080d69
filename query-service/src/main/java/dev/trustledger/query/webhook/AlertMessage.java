package dev.trustledger.query.webhook;

/**
 * What one subscription is sent for one alert: the body in the subscription's format.
 *
 * @param alertId the alert's stable id, sent as {@code webhook-id}: the same on every
 * attempt, so that a receiver recognises a delivery it already had
 */
record AlertMessage(String alertId, String kind, String engagementId, String body) {
}
