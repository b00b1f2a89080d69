package dev.trustledger.command.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.support.security.Role;
import dev.trustledger.support.security.SecurityProperties;
import dev.trustledger.support.security.TrustLedgerSecurity;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may write: account teams and admins record; admins alone see and retry parked
 * events; everyone else signed in may read the API docs.
 */
@Configuration(proxyBeanMethods = false)
class CommandSecurityConfiguration {

	@Bean
	SecurityFilterChain commandSecurity(HttpSecurity http, SecurityProperties properties, ObjectMapper objectMapper)
			throws Exception {
		return TrustLedgerSecurity.filterChain(http, properties, objectMapper,
				(authorize) -> authorize
					.requestMatchers(HttpMethod.POST, "/api/engagements", "/api/engagements/**", "/api/imports")
					.hasAnyRole(Role.names(Role.ACCOUNT_TEAM, Role.ADMIN))
					.requestMatchers("/api/parked", "/api/parked/**")
					.hasRole(Role.ADMIN.name()));
	}

}
