package dev.trustledger.query.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The query API's OpenAPI description, served at /v3/api-docs with Swagger UI at
 * /swagger-ui.html.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

	@Bean
	OpenAPI queryApi() {
		return new OpenAPI()
			.info(new Info().title("Trust Ledger query API")
				.version("v1")
				.description("Engagement projections: current state, promises and incidents. Errors are RFC 9457 "
						+ "problem+json with a stable `code`."))
			.components(new Components().addSecuritySchemes("basic",
					new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
			.addSecurityItem(new SecurityRequirement().addList("basic"));
	}

}
