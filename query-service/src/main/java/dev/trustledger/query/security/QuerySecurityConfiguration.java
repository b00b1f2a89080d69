package dev.trustledger.query.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.support.security.Role;
import dev.trustledger.support.security.SecurityProperties;
import dev.trustledger.support.security.TrustLedgerSecurity;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** Every role reads engagements; analysts replay, re-score and export history. */
@Configuration(proxyBeanMethods = false)
class QuerySecurityConfiguration {

	@Bean
	SecurityFilterChain querySecurity(HttpSecurity http, SecurityProperties properties, ObjectMapper objectMapper)
			throws Exception {
		return TrustLedgerSecurity.filterChain(http, properties, objectMapper,
				(authorize) -> authorize
					.requestMatchers(HttpMethod.GET, "/api/engagements", "/api/engagements/**", "/api/alerts")
					.hasAnyRole(Role.all())
					.requestMatchers("/api/replays", "/api/replays/**", "/api/generations", "/api/generations/**",
							"/api/models", "/api/models/**", "/api/exports/**")
					.hasAnyRole(Role.names(Role.ANALYST, Role.ADMIN)));
	}

}
