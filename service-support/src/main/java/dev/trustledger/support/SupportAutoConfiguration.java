package dev.trustledger.support;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import dev.trustledger.support.metrics.SampledGauges;
import dev.trustledger.support.security.CachingAuthenticationProvider;
import dev.trustledger.support.security.PathPatternSecurity;
import dev.trustledger.support.security.SecurityProperties;
import dev.trustledger.support.security.SignInThrottle;
import dev.trustledger.support.security.TrustLedgerSecurity;
import dev.trustledger.support.tracing.TraceContexts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.swagger.v3.oas.models.OpenAPI;
import org.apache.catalina.core.StandardHost;
import org.apache.kafka.clients.admin.NewTopic;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration;
import org.springframework.boot.autoconfigure.mongo.MongoProperties;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * Shared edge beans of the Trust Ledger services, picked up by Spring Boot's
 * auto-configuration.
 */
@AutoConfiguration(after = MongoAutoConfiguration.class, before = ErrorMvcAutoConfiguration.class)
@EnableConfigurationProperties({ EngagementEventsTopic.class, SecurityProperties.class, HttpLimitsProperties.class,
		ApiDocumentation.class })
public class SupportAutoConfiguration {

	/** Only where the MongoDB driver is: the command service has none. */
	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "com.mongodb.client.MongoClient")
	static class MongoHealthConfiguration {

		@Bean
		@ConditionalOnBean(MongoClient.class)
		MongoPingHealthIndicator mongoHealthIndicator(MongoClient client, MongoProperties properties) {
			return new MongoPingHealthIndicator(client, properties.getMongoClientDatabase());
		}

	}

	/** Gauges measured in the background, read by scrapes from memory. */
	@Bean(destroyMethod = "close")
	SampledGauges sampledGauges(MeterRegistry registry,
			@Value("${trustledger.metrics.sample-interval:5s}") Duration interval) {
		return new SampledGauges(registry, interval);
	}

	/**
	 * The trace context between services; with tracing off
	 * ({@code management.tracing.enabled=false}) the tracer is a no-op and so is this.
	 */
	@Bean
	@ConditionalOnMissingBean
	TraceContexts traceContexts(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		return new TraceContexts(tracer.getIfAvailable(() -> Tracer.NOOP),
				propagator.getIfAvailable(() -> Propagator.NOOP));
	}

	@Bean
	@ConditionalOnClass(OpenAPI.class)
	OpenAPI trustLedgerApi(ApiDocumentation documentation) {
		return documentation.openApi();
	}

	@Bean
	@ConditionalOnClass(OpenApiCustomizer.class)
	OpenApiCustomizer problemAnswers() {
		return new ProblemAnswers();
	}

	/** Ahead of security, so that an oversized body is refused before anyone reads it. */
	@Bean
	FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(HttpLimitsProperties limits,
			ObjectMapper objectMapper) {
		FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestSizeLimitFilter(limits.maxBody(), limits.maxImportBody(), "/api/imports", objectMapper));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	/**
	 * Tomcat's own rejections, of requests no application sees, as problem+json too: its
	 * host reports errors through {@link ProblemErrorReportValve}.
	 */
	@Bean
	@ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
		return (factory) -> factory.addContextCustomizers((context) -> {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
			}
		});
	}

	/**
	 * Spring Security wraps every filter of every request to observe it when an
	 * observation registry is present.
	 * {@code management.observations.enable.spring.security} turns those observations
	 * into no-ops but keeps the wrapping, which a profile of the query service under the
	 * read load driver found in 5 % of its request threads' samples. Without request
	 * observations there is no wrapping.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnClass(name = "org.springframework.security.config.observation.SecurityObservationSettings")
	org.springframework.security.config.observation.SecurityObservationSettings securityObservationSettings() {
		return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
	}

	/**
	 * Security rules matched as path patterns, not through Spring MVC's handler lookup
	 * ({@link PathPatternSecurity}).
	 */
	@Bean
	static org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean securityPathPatterns() {
		return new org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean();
	}

	/** Spring Security's filter chain without a handler lookup before every request. */
	@Bean
	static BeanFactoryPostProcessor securityWithoutHandlerLookup() {
		return PathPatternSecurity.withoutHandlerLookup();
	}

	/** Instants in query parameters, in the range a business fact can have. */
	@Bean
	InstantParameters instantParameters() {
		return new InstantParameters();
	}

	/** The container's own rejections as problem+json, in place of Boot's error body. */
	@Bean
	@ConditionalOnMissingBean(ErrorController.class)
	ProblemErrorController problemErrorController() {
		return new ProblemErrorController();
	}

	@Bean
	@ConditionalOnMissingBean
	UserDetailsService trustLedgerUsers(SecurityProperties properties) {
		return TrustLedgerSecurity.users(properties);
	}

	/**
	 * Basic and sign-in passwords checked against the configured users' bcrypt hashes,
	 * each right name and password once per five minutes rather than on every request.
	 */
	@Bean
	@ConditionalOnMissingBean(AuthenticationProvider.class)
	AuthenticationProvider trustLedgerAuthentication(UserDetailsService users, SecurityProperties properties) {
		DaoAuthenticationProvider checked = new DaoAuthenticationProvider(users);
		checked.setPasswordEncoder(TrustLedgerSecurity.passwordEncoder(properties));
		return new CachingAuthenticationProvider(checked, Duration.ofMinutes(5), 10_000,
				new SignInThrottle(properties.signIn().maxFailures(), properties.signIn().window()));
	}

	/**
	 * Declared by both services, whichever starts first, so that a real cluster gets the
	 * same unlimited retention as the embedded broker (which creates no topic by itself).
	 */
	@Bean
	NewTopic engagementEventsTopic(EngagementEventsTopic topic) {
		return TopicBuilder.name(topic.engagementEvents())
			.partitions(topic.partitions())
			.replicas(topic.replicas())
			.config("retention.ms", "-1")
			.config("retention.bytes", "-1")
			.build();
	}

}
