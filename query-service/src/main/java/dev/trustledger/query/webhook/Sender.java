package dev.trustledger.query.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Posts one message to one subscription's target, signed as Standard Webhooks says, and
 * tells what came back. Redirects are not followed (a receiver that moved says so by
 * answering, and its subscription is changed by hand); a slow receiver is cut off after
 * the request timeout; only the first kilobyte of an answer is read, for the log.
 */
final class Sender {

	static final String USER_AGENT = "TrustLedger-Webhooks/0.1";

	private static final int RESPONSE_KEPT = 1024;

	private final HttpClient http;

	private final Duration requestTimeout;

	private final Targets targets;

	private final Clock clock;

	Sender(Duration connectTimeout, Duration requestTimeout, Targets targets, Clock clock) {
		this.http = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		this.requestTimeout = requestTimeout;
		this.targets = targets;
		this.clock = clock;
	}

	/**
	 * What an attempt got.
	 *
	 * @param status the HTTP status, 0 when none came
	 * @param retryAfter the {@code Retry-After} answered
	 * @param error why no status came, or {@code null}
	 */
	record Result(Instant at, int status, String retryAfter, String error, long millis, String response) {

		Deliveries.Attempt attempt() {
			return new Deliveries.Attempt(this.at, this.status, this.error, this.millis, this.response);
		}

	}

	Result send(Subscription subscription, AlertMessage message) {
		Instant at = this.clock.instant();
		long started = System.nanoTime();
		try {
			this.targets.checkAddress(subscription.url());
		}
		catch (Targets.Refused ex) {
			return new Result(at, 0, null, ex.getMessage(), 0, null);
		}
		byte[] body = message.body().getBytes(StandardCharsets.UTF_8);
		long timestamp = at.getEpochSecond();
		HttpRequest request = HttpRequest.newBuilder(subscription.url())
			.timeout(this.requestTimeout)
			.header("Content-Type", "application/json")
			.header("User-Agent", USER_AGENT)
			.header("webhook-id", message.alertId())
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature",
					WebhookSignature.header(subscription.signingSecrets(at), message.alertId(), timestamp, body))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		try {
			HttpResponse<InputStream> response = this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
			String excerpt;
			try (InputStream in = response.body()) {
				excerpt = new String(in.readNBytes(RESPONSE_KEPT), StandardCharsets.UTF_8);
			}
			return new Result(at, response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
					null, elapsed(started), excerpt.isEmpty() ? null : excerpt);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Result(at, 0, null, "interrupted: the service is stopping", elapsed(started), null);
		}
		catch (IOException ex) {
			String reason = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
			return new Result(at, 0, null, reason, elapsed(started), null);
		}
	}

	private static long elapsed(long started) {
		return Duration.ofNanos(System.nanoTime() - started).toMillis();
	}

}
