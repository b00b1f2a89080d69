package dev.trustledger.query.dashboard;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The dashboard's pages are static files in {@code static/}, served by this service; the
 * sign-in page answers at {@code /login}, where Spring Security expects it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DashboardProperties.class)
class DashboardPages implements WebMvcConfigurer {

	@Bean
	RelayCredentials relayCredentials(DashboardProperties properties, ObjectMapper objectMapper, Clock clock,
			ObjectProvider<OidcSignIn> oidc) {
		return new RelayCredentials(properties.commandServiceUrl(), objectMapper, clock, oidc.getIfAvailable());
	}

	@Bean
	AuthenticationSuccessHandler dashboardSignIn(RelayCredentials relayCredentials) {
		return new SignInHandler(relayCredentials);
	}

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addViewController("/login").setViewName("forward:/login.html");
	}

}
