package dev.trustledger.query.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * What the dashboard records with on a user's behalf: a relay token from the command
 * service ({@code POST /api/relay-tokens}), never the user's password. The token is asked
 * for once, at sign-in, with the password the user just typed, which is then forgotten;
 * it is good for 15 minutes and for recording only, and is exchanged for a fresh one
 * while the session is in use. It lives in the server-side session and goes with it. A
 * user signed in through OpenID Connect ({@link OidcSignIn}) records with their own
 * access token instead.
 */
class RelayCredentials {

	static final String TOKEN = RelayCredentials.class.getName() + ".token";

	static final String EXPIRES = RelayCredentials.class.getName() + ".expires";

	/** A token this close to its expiry is exchanged for a fresh one before use. */
	static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

	private static final Logger log = LoggerFactory.getLogger(RelayCredentials.class);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

	private final URI commandService;

	private final ObjectMapper objectMapper;

	private final Clock clock;

	private final OidcSignIn oidc;

	RelayCredentials(URI commandService, ObjectMapper objectMapper, Clock clock, OidcSignIn oidc) {
		this.commandService = commandService;
		this.objectMapper = objectMapper;
		this.clock = clock;
		this.oidc = oidc;
	}

	/** At sign-in: a token for the user, asked for with the password just given. */
	void signedIn(HttpSession session, String name, String password) {
		String basic = "Basic "
				+ Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
		store(session, fetch(basic));
	}

	/**
	 * The credential to act with: the request's own, else the session's token, refreshed
	 * when it is about to expire; {@code null} when there is none (sign in again).
	 */
	String credential(HttpServletRequest request) {
		String own = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (own != null) {
			return own;
		}
		if (this.oidc != null) {
			// signed in through OpenID Connect: the user's own access token
			String bearer = this.oidc.accessToken(SecurityContextHolder.getContext().getAuthentication(), request);
			if (bearer != null) {
				return bearer;
			}
		}
		HttpSession session = request.getSession(false);
		if (session == null || !(session.getAttribute(TOKEN) instanceof String token)
				|| !(session.getAttribute(EXPIRES) instanceof Instant expires)) {
			return null;
		}
		Instant now = this.clock.instant();
		if (!now.isBefore(expires)) {
			return null;
		}
		if (now.plus(REFRESH_BEFORE).isAfter(expires)) {
			JsonNode fresh = fetch("Relay " + token);
			if (fresh != null) {
				store(session, fresh);
				token = fresh.path("token").asText();
			}
		}
		return "Relay " + token;
	}

	private JsonNode fetch(String authorization) {
		try {
			HttpResponse<String> answer = this.http
				.send(HttpRequest.newBuilder(this.commandService.resolve("/api/relay-tokens"))
					.timeout(Duration.ofSeconds(5))
					.header(HttpHeaders.AUTHORIZATION, authorization)
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString());
			if (answer.statusCode() != 200) {
				// a role that may not record gets none, and needs none
				return null;
			}
			return this.objectMapper.readTree(answer.body());
		}
		catch (IOException ex) {
			log.warn("The command service at {} did not issue a relay token: {}", this.commandService, ex.toString());
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private static void store(HttpSession session, JsonNode issued) {
		if (issued == null || !issued.hasNonNull("token")) {
			return;
		}
		session.setAttribute(TOKEN, issued.path("token").asText());
		session.setAttribute(EXPIRES, Instant.parse(issued.path("expiresAt").asText()));
	}

}
