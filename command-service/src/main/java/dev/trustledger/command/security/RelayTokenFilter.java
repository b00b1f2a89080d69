package dev.trustledger.command.security;

import java.io.IOException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.support.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Relay <token>} ({@link RelayTokens}): the user the
 * token names, with the roles configured for them now, for recording an incident, reading
 * the incident types and exchanging the token for a fresh one, and nothing else.
 */
final class RelayTokenFilter extends OncePerRequestFilter {

	private static final Pattern ALLOWED = Pattern
		.compile("POST /api/engagements/[^/]+/incidents|GET /api/incident-types|POST /api/relay-tokens");

	/** The request attribute holding when a relay token's chain began. */
	static final String SIGNED_IN_AT = RelayTokenFilter.class.getName() + ".signedInAt";

	private final RelayTokens tokens;

	private final UserDetailsService users;

	private final ObjectMapper objectMapper;

	RelayTokenFilter(RelayTokens tokens, UserDetailsService users, ObjectMapper objectMapper) {
		this.tokens = tokens;
		this.users = users;
		this.objectMapper = objectMapper;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization == null || !authorization.startsWith(RelayTokens.SCHEME + " ")) {
			chain.doFilter(request, response);
			return;
		}
		RelayTokens.Verified verified = this.tokens
			.verify(authorization.substring(RelayTokens.SCHEME.length() + 1).strip());
		UserDetails user = null;
		if (verified != null) {
			request.setAttribute(SIGNED_IN_AT, verified.signedInAt());
			try {
				user = this.users.loadUserByUsername(verified.user());
			}
			catch (UsernameNotFoundException ex) {
				user = null;
			}
		}
		if (user == null || !user.isEnabled()) {
			write(request, response, Problems.problem(HttpStatus.UNAUTHORIZED, "unauthenticated", null,
					"The relay token is not valid (expired, or issued by another key): sign in again."));
			return;
		}
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!ALLOWED.matcher(request.getMethod() + " " + path).matches()) {
			write(request, response, Problems.problem(HttpStatus.FORBIDDEN, "forbidden", null,
					"A relay token is for recording incidents only."));
			return;
		}
		var context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(
				UsernamePasswordAuthenticationToken.authenticated(user.getUsername(), null, user.getAuthorities()));
		SecurityContextHolder.setContext(context);
		try {
			chain.doFilter(request, response);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

	private void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
			throws IOException {
		Problems.write(request, response, problem, this.objectMapper);
	}

}
