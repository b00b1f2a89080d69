package dev.trustledger.support.security;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.support.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 as problem+json, like every other rejection. The body never repeats a
 * credential or a token.
 */
final class ProblemAuthenticationHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final ObjectMapper objectMapper;

	private final String challenge;

	/** A scheme no browser answers with a dialog of its own. */
	static final String BROWSER_CHALLENGE = "FormBased realm=\"trustledger\"";

	ProblemAuthenticationHandlers(ObjectMapper objectMapper, String challenge) {
		this.objectMapper = objectMapper;
		this.challenge = challenge;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		if (ex instanceof SignInThrottledException throttled) {
			response.setHeader("Retry-After", String.valueOf(throttled.retryAfter().toSeconds()));
			write(request, response,
					Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-failed-sign-ins", null, ex.getMessage()));
			return;
		}
		// never a Basic challenge to a browser: it would ask for a password in its own
		// dialog, then attach it to every later request to this service, cross-site ones
		// included
		response.setHeader("WWW-Authenticate", BrowserRequests.isBrowser(request) ? BROWSER_CHALLENGE : this.challenge);
		write(request, response, Problems.problem(HttpStatus.UNAUTHORIZED, "unauthenticated", null,
				"Sign in: this endpoint needs an authenticated user."));
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		write(request, response, Problems.problem(HttpStatus.FORBIDDEN, "forbidden", null,
				"Your role does not allow " + request.getMethod() + " " + request.getRequestURI() + "."));
	}

	private void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
			throws IOException {
		Problems.write(request, response, problem, this.objectMapper);
	}

}
