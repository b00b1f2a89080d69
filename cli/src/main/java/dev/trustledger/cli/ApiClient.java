package dev.trustledger.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The query service's API as the CLI uses it: HTTP Basic, JSON answers, and every
 * rejection turned into an {@link ApiException} carrying the problem's code and field.
 */
final class ApiClient {

	private static final ObjectMapper json = new ObjectMapper();

	private final URI base;

	private final String authorization;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	ApiClient(URI base, String user, String password) {
		this(base, (user != null) ? "Basic " + Base64.getEncoder()
			.encodeToString((user + ":" + ((password != null) ? password : "")).getBytes(StandardCharsets.UTF_8))
				: null);
	}

	private ApiClient(URI base, String authorization) {
		this.base = base;
		this.authorization = authorization;
	}

	/** The same user at another service. */
	ApiClient at(URI other) {
		return new ApiClient(other, this.authorization);
	}

	JsonNode get(String path) {
		return parse(send(request(path).GET(), HttpResponse.BodyHandlers.ofString()));
	}

	JsonNode post(String path, String contentType, String body) {
		HttpRequest.Builder request = request(path);
		if (body != null) {
			request.header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.POST(HttpRequest.BodyPublishers.noBody());
		}
		return parse(send(request, HttpResponse.BodyHandlers.ofString()));
	}

	JsonNode put(String path, String contentType, String body) {
		return parse(
				send(request(path).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body)),
						HttpResponse.BodyHandlers.ofString()));
	}

	JsonNode delete(String path) {
		return parse(send(request(path).DELETE(), HttpResponse.BodyHandlers.ofString()));
	}

	/** A streamed download: the caller copies it without holding it in memory. */
	InputStream download(String path) {
		HttpResponse<InputStream> response = send(request(path).GET(), HttpResponse.BodyHandlers.ofInputStream());
		if (response.statusCode() >= 300) {
			try (InputStream body = response.body()) {
				throw rejection(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new ApiException(response.statusCode(), null, null, "HTTP " + response.statusCode());
			}
		}
		return response.body();
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.base.resolve(path)).timeout(Duration.ofMinutes(30));
		if (this.authorization != null) {
			request.header("Authorization", this.authorization);
		}
		return request;
	}

	private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
		try {
			return this.http.send(request.build(), handler);
		}
		catch (ConnectException ex) {
			throw new ApiException(0, "unreachable", null, "Cannot reach the query service at " + this.base
					+ "; is it running? (--url or TRUSTLEDGER_QUERY_URL)");
		}
		catch (IOException ex) {
			throw new ApiException(0, "unreachable", null, "Talking to " + this.base + " failed: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ApiException(0, "interrupted", null, "Interrupted");
		}
	}

	private static JsonNode parse(HttpResponse<String> response) {
		if (response.statusCode() >= 300) {
			throw rejection(response.statusCode(), response.body());
		}
		try {
			return (response.body() == null || response.body().isBlank()) ? json.createObjectNode()
					: json.readTree(response.body());
		}
		catch (IOException ex) {
			throw new ApiException(response.statusCode(), "unreadable-answer", null,
					"The service answered something that is not JSON");
		}
	}

	private static ApiException rejection(int status, String body) {
		try {
			JsonNode problem = json.readTree(body);
			return new ApiException(status, problem.path("code").asText(null), problem.path("field").asText(null),
					problem.path("detail").asText("HTTP " + status));
		}
		catch (IOException | RuntimeException ex) {
			return new ApiException(status, null, null, "HTTP " + status);
		}
	}

	/** The service said no, or could not be reached. */
	static final class ApiException extends RuntimeException {

		private final int status;

		private final String code;

		private final String field;

		ApiException(int status, String code, String field, String detail) {
			super(detail);
			this.status = status;
			this.code = code;
			this.field = field;
		}

		int status() {
			return this.status;
		}

		String describe() {
			StringBuilder text = new StringBuilder(getMessage());
			if (this.code != null) {
				text.append(" [").append(this.code);
				if (this.field != null) {
					text.append(", field ").append(this.field);
				}
				text.append("]");
			}
			return text.toString();
		}

		/** 3 for a request the service rejected, 4 when it failed or was unreachable. */
		int exitCode() {
			return (this.status >= 400 && this.status < 500) ? TrustLedgerCli.REJECTED : TrustLedgerCli.UNAVAILABLE;
		}

	}

}
