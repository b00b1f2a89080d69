package dev.trustledger.query.webhook;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.trustledger.support.tracing.TraceContexts;

/**
 * Posts one message to one subscription's target, signed as Standard Webhooks says, and
 * tells what came back. Redirects are not followed (a receiver that moved says so by
 * answering, and its subscription is changed by hand); a receiver that has not answered,
 * body included, within the request timeout is cut off; only the first kilobyte of an
 * answer is read, for the log.
 */
final class Sender {

	static final String USER_AGENT = "TrustLedger-Webhooks/0.1";

	private static final int RESPONSE_KEPT = 1024;

	private final HttpClient http;

	private final Duration requestTimeout;

	private final Targets targets;

	private final Clock clock;

	private final TraceContexts traces;

	Sender(Duration connectTimeout, Duration requestTimeout, Targets targets, Clock clock, TraceContexts traces) {
		this.traces = traces;
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

	/**
	 * @param webhookId the {@code webhook-id}: the alert's id, the same on every attempt
	 * @param body the body in the subscription's format
	 */
	Result send(Subscription subscription, String webhookId, String body) {
		Instant at = this.clock.instant();
		long started = System.nanoTime();
		try {
			this.targets.checkAddress(subscription.url());
		}
		catch (Targets.Refused ex) {
			return new Result(at, 0, null, ex.getMessage(), 0, null);
		}
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		long timestamp = at.getEpochSecond();
		HttpRequest.Builder builder = HttpRequest.newBuilder(subscription.url());
		// the W3C trace context, for a receiver that traces too
		this.traces.current().forEach(builder::header);
		HttpRequest request = builder.timeout(this.requestTimeout)
			.header("Content-Type", "application/json")
			.header("User-Agent", USER_AGENT)
			.header("webhook-id", webhookId)
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature",
					WebhookSignature.header(subscription.signingSecrets(at), webhookId, timestamp, bytes))
			.POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
			.build();
		CompletableFuture<HttpResponse<String>> answer = this.http.sendAsync(request, Sender::firstKilobyte);
		try {
			// the whole answer, body included, within the timeout: a receiver that sends
			// its headers and then stalls does not hold a sender
			HttpResponse<String> response = answer.get(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
			String excerpt = response.body();
			return new Result(at, response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
					null, elapsed(started), (excerpt == null || excerpt.isEmpty()) ? null : excerpt);
		}
		catch (InterruptedException ex) {
			answer.cancel(true);
			Thread.currentThread().interrupt();
			return new Result(at, 0, null, "interrupted: the service is stopping", elapsed(started), null);
		}
		catch (TimeoutException ex) {
			answer.cancel(true);
			return new Result(at, 0, null, "no answer within " + this.requestTimeout, elapsed(started), null);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			String reason = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
			return new Result(at, 0, null, reason, elapsed(started), null);
		}
	}

	/**
	 * Reads at most the first kilobyte of an answer's body, for the log, and stops
	 * reading there; a body that fails to arrive leaves the status as it was answered.
	 */
	private static HttpResponse.BodySubscriber<String> firstKilobyte(HttpResponse.ResponseInfo info) {
		return new HttpResponse.BodySubscriber<>() {

			private final CompletableFuture<String> body = new CompletableFuture<>();

			private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

			private Flow.Subscription subscription;

			@Override
			public CompletionStage<String> getBody() {
				return this.body;
			}

			@Override
			public void onSubscribe(Flow.Subscription subscription) {
				this.subscription = subscription;
				subscription.request(Long.MAX_VALUE);
			}

			@Override
			public void onNext(List<ByteBuffer> buffers) {
				for (ByteBuffer buffer : buffers) {
					int take = Math.min(buffer.remaining(), RESPONSE_KEPT - this.kept.size());
					byte[] bytes = new byte[take];
					buffer.get(bytes);
					this.kept.write(bytes, 0, take);
				}
				if (this.kept.size() >= RESPONSE_KEPT) {
					this.subscription.cancel();
					done();
				}
			}

			@Override
			public void onError(Throwable failure) {
				done();
			}

			@Override
			public void onComplete() {
				done();
			}

			private void done() {
				this.body.complete(this.kept.toString(StandardCharsets.UTF_8));
			}

		};
	}

	private static long elapsed(long started) {
		return Duration.ofNanos(System.nanoTime() - started).toMillis();
	}

}
