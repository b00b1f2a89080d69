package dev.trustledger.query.security;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.query.dashboard.OidcSignIn;
import dev.trustledger.support.security.BrowserSignIn;
import dev.trustledger.support.security.Role;
import dev.trustledger.support.security.SecurityProperties;
import dev.trustledger.support.security.TrustLedgerSecurity;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Every role reads engagements; analysts replay, re-score and export history; admins see
 * and retry parked records; admins and delivery leads subscribe webhooks to alerts. The
 * dashboard's pages follow the same rules: a role sees a page only if it may use it, and
 * records only if the command service would let it.
 */
@Configuration(proxyBeanMethods = false)
class QuerySecurityConfiguration {

	/** The dashboard's pages: opened by a browser, not called by a script. */
	private static final Set<String> PAGES = Set.of("/", "/index.html", "/engagement.html", "/analyst.html",
			"/webhooks.html");

	@Bean
	SecurityFilterChain querySecurity(HttpSecurity http, SecurityProperties properties, ObjectMapper objectMapper,
			AuthenticationSuccessHandler dashboardSignIn, ObjectProvider<OidcSignIn> oidc) throws Exception {
		RequestMatcher pages = (request) -> HttpMethod.GET.matches(request.getMethod())
				&& PAGES.contains(request.getRequestURI().substring(request.getContextPath().length()));
		List<String> open = List.of("/login.html", "/forbidden.html", "/css/**", "/js/**", "/webjars/**",
				"/favicon.svg");
		OidcSignIn openIdConnect = oidc.getIfAvailable();
		// in jwt mode with a provider registered, pages sign in through OpenID Connect;
		// otherwise on the dashboard's own form
		BrowserSignIn browser = (properties.mode() == SecurityProperties.Mode.JWT && openIdConnect != null)
				? new BrowserSignIn(OidcSignIn.LOGIN_PAGE, pages, "/forbidden.html", open, dashboardSignIn,
						openIdConnect.signIn(dashboardSignIn))
				: new BrowserSignIn("/login", pages, "/forbidden.html", open, dashboardSignIn);
		return TrustLedgerSecurity.filterChain(http, properties, objectMapper,
				(authorize) -> authorize
					.requestMatchers(HttpMethod.GET, "/api/engagements", "/api/engagements/**", "/api/alerts",
							"/api/me", "/api/live")
					.hasAnyRole(Role.all())
					.requestMatchers("/api/replays", "/api/replays/**", "/api/generations", "/api/generations/**",
							"/api/models", "/api/models/**", "/api/exports/**", "/analyst.html")
					.hasAnyRole(Role.names(Role.ANALYST, Role.ADMIN))
					.requestMatchers(HttpMethod.POST, "/dashboard/engagements/*/incidents")
					.hasAnyRole(Role.names(Role.ACCOUNT_TEAM, Role.ADMIN))
					.requestMatchers("/api/webhooks", "/api/webhooks/**", "/webhooks.html")
					.hasAnyRole(Role.names(Role.DELIVERY_LEAD, Role.ADMIN))
					.requestMatchers("/api/parked", "/api/parked/**")
					.hasRole(Role.ADMIN.name()),
				browser);
	}

}
