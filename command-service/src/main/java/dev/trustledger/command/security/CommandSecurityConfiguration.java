package dev.trustledger.command.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.support.security.Role;
import dev.trustledger.support.security.SecurityProperties;
import dev.trustledger.support.security.TrustLedgerSecurity;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Who may write: account teams and admins record (and get relay tokens for the dashboard
 * to record with); admins alone see and retry parked events; everyone else signed in may
 * read the API docs.
 */
@Configuration(proxyBeanMethods = false)
class CommandSecurityConfiguration {

	@Bean
	SecurityFilterChain commandSecurity(HttpSecurity http, SecurityProperties properties, ObjectMapper objectMapper,
			RelayTokens relayTokens, UserDetailsService users) throws Exception {
		if (properties.mode() == SecurityProperties.Mode.BASIC) {
			// relay tokens name Basic users; in jwt mode the dashboard relays the user's
			// own
			// access token
			http.addFilterBefore(new RelayTokenFilter(relayTokens, users, objectMapper),
					BasicAuthenticationFilter.class);
		}
		return TrustLedgerSecurity.filterChain(http, properties, objectMapper,
				(authorize) -> authorize
					.requestMatchers(HttpMethod.POST, "/api/engagements", "/api/engagements/**", "/api/imports",
							"/api/relay-tokens")
					.hasAnyRole(Role.names(Role.ACCOUNT_TEAM, Role.ADMIN))
					.requestMatchers("/api/parked", "/api/parked/**")
					.hasRole(Role.ADMIN.name()));
	}

}
