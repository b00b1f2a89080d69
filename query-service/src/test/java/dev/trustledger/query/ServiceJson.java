package dev.trustledger.query;

import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The object mapper the query service answers with: Spring Boot's Jackson
 * auto-configuration with the service's own customizer, without the rest of the service.
 */
public final class ServiceJson {

	private static final ObjectMapper MAPPER = make();

	private ServiceJson() {
	}

	public static ObjectMapper mapper() {
		return MAPPER;
	}

	private static ObjectMapper make() {
		AtomicReference<ObjectMapper> mapper = new AtomicReference<>();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
			.withBean(Jackson2ObjectMapperBuilderCustomizer.class, () -> new QueryServiceApplication().fastDoubles())
			.run((context) -> mapper.set(context.getBean(ObjectMapper.class)));
		return mapper.get();
	}

}
