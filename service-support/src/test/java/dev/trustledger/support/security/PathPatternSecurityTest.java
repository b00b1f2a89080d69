package dev.trustledger.support.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import static org.assertj.core.api.Assertions.assertThat;

class PathPatternSecurityTest {

	private final WebApplicationContextRunner context = new WebApplicationContextRunner()
		.withUserConfiguration(Rules.class);

	@Test
	void springSecurityWrapsItsChainInAHandlerLookupWhenLeftAlone() {
		this.context.run((started) -> assertThat(started.getBean(PathPatternSecurity.FILTER_CHAIN).getClass().getName())
			.isEqualTo(PathPatternSecurity.WRAPPER));
	}

	@Test
	void theChainIsSpringSecuritysOwnWithoutTheLookupAndItsRulesStillHold() {
		this.context.withUserConfiguration(PathPatterns.class).run((started) -> {
			Object chain = started.getBean(PathPatternSecurity.FILTER_CHAIN);
			assertThat(chain).isInstanceOf(FilterChainProxy.class);
			assertThat(chain.getClass().getName()).isNotEqualTo(PathPatternSecurity.WRAPPER);
			// what HttpSecurity builds its matchers with: path patterns, not MVC's
			assertThat(started.getBeanProvider(PathPatternRequestMatcher.Builder.class).getIfUnique()).isNotNull();
			FilterChainProxy proxy = (FilterChainProxy) chain;
			assertThat(status(proxy, HttpMethod.GET, "/api/engagements/harbour-freight", null)).isEqualTo(401);
			assertThat(status(proxy, HttpMethod.GET, "/api/engagements/harbour-freight", "ava")).isEqualTo(200);
			assertThat(status(proxy, HttpMethod.POST, "/api/engagements/harbour-freight", "ava")).isEqualTo(403);
			assertThat(status(proxy, HttpMethod.GET, "/open/page.html", null)).isEqualTo(200);
			assertThat(status(proxy, HttpMethod.GET, "/elsewhere", null)).isEqualTo(401);
		});
	}

	private static int status(FilterChainProxy proxy, HttpMethod method, String path, String user) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest(method.name(), path);
		if (user != null) {
			request.addHeader("Authorization",
					"Basic " + Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8)));
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		proxy.doFilter(request, response, new MockFilterChain());
		return response.getStatus() == 0 ? HttpServletResponse.SC_OK : response.getStatus();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@EnableWebSecurity
	static class Rules {

		@Bean
		SecurityFilterChain rules(HttpSecurity http) throws Exception {
			return http
				.authorizeHttpRequests((authorize) -> authorize.requestMatchers("/open/**")
					.permitAll()
					.requestMatchers(HttpMethod.POST, "/api/engagements/*")
					.denyAll()
					.requestMatchers(HttpMethod.GET, "/api/engagements/**")
					.authenticated()
					.anyRequest()
					.authenticated())
				.httpBasic((basic) -> {
				})
				.csrf((csrf) -> csrf.disable())
				.build();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("ava").password("{noop}secret").roles("USER").build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PathPatterns {

		@Bean
		static PathPatternRequestMatcherBuilderFactoryBean pathPatterns() {
			return new PathPatternRequestMatcherBuilderFactoryBean();
		}

		@Bean
		static BeanFactoryPostProcessor withoutHandlerLookup() {
			return PathPatternSecurity.withoutHandlerLookup();
		}

	}

}
