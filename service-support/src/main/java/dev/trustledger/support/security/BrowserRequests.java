package dev.trustledger.support.security;

import java.io.IOException;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.support.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Telling a browser's requests from a script's, and refusing changes a browser makes on
 * another site's behalf.
 * <p>
 * Browsers mark every request with where it comes from ({@code Sec-Fetch-Site}) and send
 * {@code Origin} with every unsafe one; scripts and the CLI send neither. A change (POST,
 * PUT, PATCH, DELETE) that a browser sends from another site is refused with 403
 * {@code cross-site-request}, whatever credential it carries: a password the browser
 * remembered, say. The dashboard records through its own server, never from the browser
 * straight to another service.
 */
public final class BrowserRequests extends OncePerRequestFilter {

	private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	private final ObjectMapper objectMapper;

	public BrowserRequests(ObjectMapper objectMapper) {
		this.objectMapper = objectMapper;
	}

	/** Whether a browser sent the request (rather than a script or the CLI). */
	static boolean isBrowser(HttpServletRequest request) {
		return request.getHeader("Sec-Fetch-Site") != null || request.getHeader("Sec-Fetch-Mode") != null
				|| "XMLHttpRequest".equals(request.getHeader("X-Requested-With"))
				|| (request.getHeader(HttpHeaders.ACCEPT) != null
						&& request.getHeader(HttpHeaders.ACCEPT).contains(MediaType.TEXT_HTML_VALUE));
	}

	/** Whether a browser sent the request from another site. */
	static boolean isCrossSite(HttpServletRequest request) {
		String site = request.getHeader("Sec-Fetch-Site");
		if (site != null) {
			return site.equals("cross-site") || site.equals("same-site");
		}
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		if (origin == null) {
			return false;
		}
		String own = request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort();
		String ownDefault = request.getScheme() + "://" + request.getServerName();
		return !origin.equals(own) && !origin.equals(ownDefault);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!SAFE.contains(request.getMethod()) && isCrossSite(request)) {
			Problems.write(request, response, Problems.problem(HttpStatus.FORBIDDEN, "cross-site-request", null,
					"A change sent by a browser from another site is refused."), this.objectMapper);
			return;
		}
		chain.doFilter(request, response);
	}

}
