/**
 * Alerts delivered to where people work: webhook subscriptions
 * ({@code WebhookController}, kept in {@code Subscriptions}), the listener that queues a
 * delivery for every subscription an alert on the alerts topic matches
 * ({@code AlertListener}, a consumer group of its own), and the dispatcher that sends
 * them signed as the Standard Webhooks specification says ({@code Dispatcher},
 * {@code Sender}, {@code WebhookSignature}), retried by {@code RetryPolicy} and logged
 * per subscription ({@code Deliveries}).
 */
package dev.trustledger.query.webhook;
