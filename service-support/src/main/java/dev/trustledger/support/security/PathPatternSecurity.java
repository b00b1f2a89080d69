package dev.trustledger.support.security;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.ConstructorArgumentValues.ValueHolder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;

/**
 * Spring Security's rules matched on request paths alone, as Spring MVC's own path
 * patterns match them, without asking Spring MVC which handler a request goes to.
 * <p>
 * With Spring MVC present, Spring Security 6 matches {@code requestMatchers("/api/…")}
 * through MVC's {@code HandlerMappingIntrospector}, and wraps its filter chain in a
 * filter that looks up, before every request, the handler the {@code DispatcherServlet}
 * will look up again: a scan over every request mapping of the service (a path with an id
 * matches no mapping directly). A Java Flight Recorder profile of the query service
 * answering engagement reads from memory under wrk found that lookup in 12 % of the
 * request threads' samples and the MVC matchers in 4 % more (docs/performance.md, "Run
 * 52"). Every mapping of these services parses its patterns with
 * {@code PathPatternParser} (Spring Boot 3's default), so a path pattern means the same
 * to both, and the rules here are paths and methods only. Spring Security 7 drops the
 * introspection altogether.
 * <p>
 * Two parts: the auto-configuration declares a {@code PathPatternRequestMatcher.Builder}
 * (Spring Security's own switch from MVC matchers to path patterns), and
 * {@link #withoutHandlerLookup()} puts Spring Security's filter chain back where Spring
 * Security's MVC configuration had wrapped it with the lookup. Nothing in these services
 * reads what that lookup caches: the MVC matchers are gone, and no CORS is configured.
 */
public final class PathPatternSecurity {

	static final String FILTER_CHAIN = "springSecurityFilterChain";

	static final String WRAPPER = "org.springframework.security.config.annotation.web.configuration.WebMvcSecurityConfiguration$CompositeFilterChainProxy";

	static final String LOOKUP = "org.springframework.security.config.annotation.web.configuration.WebMvcSecurityConfiguration$HandlerMappingIntrospectorCacheFilterFactoryBean";

	private static final Log logger = LogFactory.getLog(PathPatternSecurity.class);

	private PathPatternSecurity() {
	}

	/**
	 * Replaces the definition of Spring Security's filter chain that wraps it in the
	 * handler lookup with the definition it wraps. Anything else (a later Spring Security
	 * that defines it otherwise, no Spring MVC) is left as it is, with a warning when the
	 * wrapper is there but not as expected. {@code CommandApiIT} and
	 * {@code EngagementProjectionIT} check that each service's chain is unwrapped and its
	 * rules built as path patterns, so that an upgrade which changes either shows.
	 */
	public static BeanFactoryPostProcessor withoutHandlerLookup() {
		return PathPatternSecurity::unwrap;
	}

	static void unwrap(ConfigurableListableBeanFactory beanFactory) {
		if (!(beanFactory instanceof BeanDefinitionRegistry registry)
				|| !registry.containsBeanDefinition(FILTER_CHAIN)) {
			return;
		}
		BeanDefinition wrapper = registry.getBeanDefinition(FILTER_CHAIN);
		if (!WRAPPER.equals(wrapper.getBeanClassName())) {
			return;
		}
		BeanDefinition wrapped = wrapped(wrapper);
		if (wrapped == null) {
			logger.warn("Spring Security's filter chain is wrapped in an unexpected way; left as it is, with a handler "
					+ "lookup before every request");
			return;
		}
		registry.removeBeanDefinition(FILTER_CHAIN);
		registry.registerBeanDefinition(FILTER_CHAIN, wrapped);
	}

	/**
	 * The chain's own definition, when the wrapper's only argument is the two filters it
	 * runs in turn: the handler lookup, then the chain.
	 */
	private static BeanDefinition wrapped(BeanDefinition wrapper) {
		if (wrapper.getConstructorArgumentValues().getArgumentCount() != 1) {
			return null;
		}
		ValueHolder argument = wrapper.getConstructorArgumentValues().getIndexedArgumentValue(0, null);
		if (argument == null || !(argument.getValue() instanceof List<?> filters) || filters.size() != 2
				|| !(filters.get(0) instanceof BeanDefinition lookup) || !LOOKUP.equals(lookup.getBeanClassName())
				|| !(filters.get(1) instanceof BeanDefinition chain)) {
			return null;
		}
		return chain;
	}

}
