package dev.trustledger.support.security;

import java.util.LinkedHashMap;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.access.RequestMatcherDelegatingAccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Signing in from a browser, for a service that serves pages as well as its API.
 * <ul>
 * <li>A visitor who is not signed in and opens a page is sent to the sign-in page. A page
 * the role may not open shows {@code forbiddenPage}. API requests keep their problem+json
 * answers.</li>
 * <li>The session cookie authenticates the pages and the calls their scripts make. Every
 * unsafe request made with it needs the CSRF token. The token travels in the readable
 * {@code XSRF-TOKEN} cookie and comes back in the {@code X-XSRF-TOKEN} header or the
 * {@code _csrf} form field.</li>
 * <li>A request with its own {@code Authorization} header never creates a session and
 * needs no token: a script or the CLI, not a browser riding on a cookie.</li>
 * </ul>
 *
 * @param loginPage the sign-in page, also the URL its form posts to
 * @param pages which requests are pages
 * @param forbiddenPage what a page the role may not open shows instead
 * @param open what anyone may fetch: the sign-in page's own assets
 * @param onSignIn what happens after a successful sign-in
 * @param signIn how users sign in: {@code null} for the service's own form (users and
 * passwords from configuration), or another way (OpenID Connect, say) whose start is
 * {@code loginPage}
 */
public record BrowserSignIn(String loginPage, RequestMatcher pages, String forbiddenPage, List<String> open,
		AuthenticationSuccessHandler onSignIn, Customizer<HttpSecurity> signIn) {

	/** Signing in on the service's own form. */
	public BrowserSignIn(String loginPage, RequestMatcher pages, String forbiddenPage, List<String> open,
			AuthenticationSuccessHandler onSignIn) {
		this(loginPage, pages, forbiddenPage, open, onSignIn, null);
	}

	void configure(HttpSecurity http, ProblemAuthenticationHandlers problems) throws Exception {
		// a request with its own credential is a script's, unless a browser sent it from
		// another site with a credential it remembered: that one needs the token too
		RequestMatcher ownCredentials = (request) -> request.getHeader(HttpHeaders.AUTHORIZATION) != null
				&& !BrowserRequests.isCrossSite(request);
		HttpSessionRequestCache pageCache = new HttpSessionRequestCache();
		pageCache.setRequestMatcher(this.pages);
		LinkedHashMap<RequestMatcher, AuthenticationEntryPoint> entryPoints = new LinkedHashMap<>();
		entryPoints.put(this.pages, new LoginUrlAuthenticationEntryPoint(this.loginPage));
		DelegatingAuthenticationEntryPoint entryPoint = new DelegatingAuthenticationEntryPoint(entryPoints);
		entryPoint.setDefaultEntryPoint(problems);
		AccessDeniedHandlerImpl forbidden = new AccessDeniedHandlerImpl();
		forbidden.setErrorPage(this.forbiddenPage);
		LinkedHashMap<RequestMatcher, AccessDeniedHandler> deniedHandlers = new LinkedHashMap<>();
		deniedHandlers.put(this.pages, forbidden);
		if (this.signIn != null) {
			this.signIn.customize(http);
		}
		else {
			http.formLogin((form) -> form.loginPage(this.loginPage).successHandler(this.onSignIn).permitAll());
		}
		http.csrf((csrf) -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
			.csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
			.ignoringRequestMatchers(ownCredentials))
			.addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
			// no session policy is set on purpose: setting one adds a filter that stores
			// every authentication in a session, Basic requests included; sign-in sets up
			// its session itself
			.requestCache((cache) -> cache.requestCache(pageCache))
			.logout((logout) -> logout.logoutSuccessUrl(this.loginPage + "?signedOut").permitAll())
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint)
				.accessDeniedHandler(new RequestMatcherDelegatingAccessDeniedHandler(deniedHandlers, problems)));
	}

	/**
	 * Issues the CSRF token on every browser request, so the readable cookie is there
	 * before the first form is posted. Spring Security only issues it when something
	 * asks.
	 */
	private static final class CsrfCookieFilter extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, java.io.IOException {
			CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
			if (token != null && request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
				token.getToken();
			}
			chain.doFilter(request, response);
		}

	}

}
