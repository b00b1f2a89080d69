package dev.trustledger.command.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The command API's OpenAPI description, served at /v3/api-docs with Swagger UI at
 * /swagger-ui.html.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

	@Bean
	OpenAPI commandApi() {
		return new OpenAPI()
			.info(new Info().title("Trust Ledger command API")
				.version("v1")
				.description("Record what happens in client engagements. Every rejection is RFC 9457 "
						+ "problem+json with a stable `code` and the offending `field`; nothing is stored on a "
						+ "rejection. Incident ids are idempotency keys."))
			.components(new Components().addSecuritySchemes("basic",
					new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
			.addSecurityItem(new SecurityRequirement().addList("basic"));
	}

}
