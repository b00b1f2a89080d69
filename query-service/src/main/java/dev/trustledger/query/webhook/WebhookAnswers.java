package dev.trustledger.query.webhook;

import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bson.Document;

/** The webhook API's answers. */
final class WebhookAnswers {

	private WebhookAnswers() {
	}

	/**
	 * A subscription as its owners see it; its secrets are never shown again after they
	 * were made.
	 *
	 * @param kinds the alert kinds sent; empty for every kind
	 * @param deliveryLeads only alerts of engagements led by one of these; empty for any
	 * @param accountTeams only alerts of engagements of one of these teams; empty for any
	 * @param format {@code standard} or {@code slack}
	 * @param disabledReason why it is disabled: by hand, 410 Gone, or a run of failures
	 * @param consecutiveFailures failed attempts since the last success
	 * @param secretCreatedAt when the current secret was made
	 * @param previousSecretExpiresAt while a rotated-out secret still signs: until when
	 */
	record WebhookSubscription(String id, URI url, String description, List<String> kinds, List<String> deliveryLeads,
			List<String> accountTeams, String format, boolean enabled, String disabledReason, Instant disabledAt,
			int consecutiveFailures, String owner, Instant createdAt, Instant updatedAt, Instant secretCreatedAt,
			Instant previousSecretExpiresAt, String deliveries) {

		static WebhookSubscription of(Subscription subscription, Instant now) {
			Instant previous = subscription.secrets()
				.stream()
				.skip(1)
				.filter((secret) -> secret.validAt(now))
				.map(Subscription.Secret::expiresAt)
				.findFirst()
				.orElse(null);
			return new WebhookSubscription(subscription.id(), subscription.url(), subscription.description(),
					subscription.kinds().stream().sorted().toList(),
					subscription.deliveryLeads().stream().sorted().toList(),
					subscription.accountTeams().stream().sorted().toList(),
					subscription.format().name().toLowerCase(java.util.Locale.ROOT), subscription.enabled(),
					subscription.disabledReason(), subscription.disabledAt(), subscription.consecutiveFailures(),
					subscription.owner(), subscription.createdAt(), subscription.updatedAt(),
					subscription.secrets().get(0).createdAt(), previous,
					"/api/webhooks/" + subscription.id() + "/deliveries");
		}

	}

	/**
	 * A subscription just made, or its secret just rotated: the one answer that shows the
	 * secret. Keep it where the receiver checks signatures.
	 *
	 * @param secret {@code whsec_} and the base64 of 32 random bytes
	 */
	record WebhookSecret(WebhookSubscription subscription, String secret) {
	}

	/** Subscriptions, the oldest first. */
	record WebhookSubscriptions(List<WebhookSubscription> subscriptions) {
	}

	/**
	 * One attempt of a delivery.
	 *
	 * @param status the HTTP status answered; 0 when none came
	 * @param error why no answer came
	 * @param response the first kilobyte of the answer's body
	 */
	record WebhookAttempt(Instant at, int status, String error, long millis, String response) {

		static WebhookAttempt of(Document attempt) {
			return new WebhookAttempt(instant(attempt.getDate("at")), attempt.getInteger("status", 0),
					attempt.getString("error"), ((Number) attempt.get("millis", 0L)).longValue(),
					attempt.getString("response"));
		}

	}

	/**
	 * One alert's delivery to one subscription.
	 *
	 * @param state {@code PENDING} (queued or waiting to be tried again),
	 * {@code DELIVERED}, {@code FAILED} (refused, gone or out of retries) or
	 * {@code ABANDONED} (its subscription was disabled or deleted first)
	 * @param reason why it failed or was abandoned
	 * @param attempts the latest attempts, the oldest first (at most 20 kept)
	 * @param test whether it was a test send
	 */
	record WebhookDelivery(String alertId, String kind, String engagementId, String state, String reason,
			Instant queuedAt, Instant nextAttemptAt, Instant finishedAt, int attemptCount,
			List<WebhookAttempt> attempts, boolean test) {

		static WebhookDelivery of(Document delivery) {
			return new WebhookDelivery(delivery.getString("alertId"), delivery.getString("kind"),
					delivery.getString("engagementId"), delivery.getString("state"), delivery.getString("reason"),
					instant(delivery.getDate("queuedAt")), instant(delivery.getDate("nextAttemptAt")),
					instant(delivery.getDate("finishedAt")), delivery.getInteger("attemptCount", 0),
					delivery.getList("attempts", Document.class, List.of()).stream().map(WebhookAttempt::of).toList(),
					delivery.getBoolean("test", false));
		}

	}

	/** A subscription's deliveries, the latest queued first. */
	record WebhookDeliveries(String subscriptionId, List<WebhookDelivery> deliveries) {
	}

	/**
	 * What a test send got: it is sent once, at once, and logged, never retried.
	 *
	 * @param delivered whether a 2xx came back
	 */
	record WebhookTest(boolean delivered, WebhookAttempt attempt, String webhookId) {
	}

	private static Instant instant(Date date) {
		return (date != null) ? date.toInstant() : null;
	}

}
