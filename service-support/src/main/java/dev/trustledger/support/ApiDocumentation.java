package dev.trustledger.support;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The OpenAPI description each service serves at /v3/api-docs (Swagger UI at
 * /swagger-ui.html): its title and description from configuration, HTTP Basic as the
 * security scheme of the embedded default.
 */
@ConfigurationProperties("trustledger.api")
public record ApiDocumentation(String title, String description) {

	OpenAPI openApi() {
		return new OpenAPI().info(new Info().title(this.title).version("v1").description(this.description))
			.components(new Components().addSecuritySchemes("basic",
					new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
			.addSecurityItem(new SecurityRequirement().addList("basic"));
	}

}
