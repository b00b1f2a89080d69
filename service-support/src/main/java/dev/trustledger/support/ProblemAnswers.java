package dev.trustledger.support;

import java.util.LinkedHashMap;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Documents on every operation the problem+json answers every operation of that shape can
 * give, as the filters and handlers shared by both services give them: 400 when it takes
 * parameters or a body, 401 and 403 and 429 (security, the sign-in throttle), 404 when
 * its path names a resource, 413 and 415 when it takes a body. An answer an operation
 * documents itself stays as it is. All of them are {@code Problem}: RFC 9457 with the
 * stable {@code code} and the {@code field} at fault.
 */
final class ProblemAnswers implements OpenApiCustomizer {

	static final String PROBLEM = "Problem";

	private static final String PROBLEM_JSON = "application/problem+json";

	@Override
	public void customise(OpenAPI api) {
		api.getComponents().addSchemas(PROBLEM, problemSchema());
		if (api.getPaths() == null) {
			return;
		}
		api.getPaths().forEach((path, item) -> item.readOperations().forEach((operation) -> document(path, operation)));
	}

	private static void document(String path, Operation operation) {
		Map<String, String> answers = new LinkedHashMap<>();
		boolean body = operation.getRequestBody() != null;
		boolean parameters = operation.getParameters() != null && !operation.getParameters().isEmpty();
		if (body || parameters) {
			answers.put("400", "The request is not valid: `field` names the parameter or field at fault.");
		}
		answers.put("401", "No credentials, or credentials that are not valid.");
		answers.put("403", "The caller's role does not allow this, or a browser's request came from another site.");
		if (path.contains("{")) {
			answers.put("404", "Nothing of that id.");
		}
		if (body) {
			answers.put("413", "The body is larger than the service takes.");
			answers.put("415", "The body is not of a type the operation takes, or not UTF-8.");
		}
		answers.put("429", "Too many failed sign-ins from this source: try again after `Retry-After` seconds.");
		if (operation.getResponses() == null) {
			operation.setResponses(new ApiResponses());
		}
		answers.forEach((status, description) -> {
			if (!operation.getResponses().containsKey(status)) {
				operation.getResponses().addApiResponse(status, problem(description));
			}
		});
	}

	private static ApiResponse problem(String description) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType(PROBLEM_JSON,
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
	}

	@SuppressWarnings("rawtypes")
	private static Schema problemSchema() {
		return new ObjectSchema().description("An RFC 9457 problem with Trust Ledger's two members.")
			.addProperty("type", new StringSchema().format("uri").description("The problem type: a URI per code."))
			.addProperty("title", new StringSchema())
			.addProperty("status", new IntegerSchema())
			.addProperty("detail", new StringSchema().description("What went wrong, for a person."))
			.addProperty("instance", new StringSchema().format("uri"))
			.addProperty("code",
					new StringSchema().description("Stable and machine-readable: `invalid-field`, "
							+ "`engagement-not-found`, `forbidden`, ..."))
			.addProperty("field", new StringSchema().description("The request field or parameter at fault, if any."));
	}

}
