package dev.trustledger.query.dashboard;

import dev.trustledger.support.security.SecurityProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;

/**
 * The dashboard's OpenID Connect sign-in ({@link OidcSignIn}), when a provider is
 * registered as {@code trustledger}; Spring Boot builds the registration from
 * {@code spring.security.oauth2.client.*}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "spring.security.oauth2.client.registration.trustledger", name = "client-id")
class OidcConfiguration {

	@Bean
	OidcSignIn oidcSignIn(ClientRegistrationRepository clients, OAuth2AuthorizedClientRepository authorizedClients,
			SecurityProperties security) {
		return new OidcSignIn(clients, authorizedClients, security.jwt());
	}

}
