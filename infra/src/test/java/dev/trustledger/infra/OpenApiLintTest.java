package dev.trustledger.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule of the lint on a description that breaks it, and one that breaks none. */
class OpenApiLintTest {

	private static final ObjectMapper json = new ObjectMapper();

	private static final String CLEAN = """
			{"openapi": "3.0.1",
			 "security": [{"basic": []}],
			 "components": {"securitySchemes": {"basic": {"type": "http", "scheme": "basic"}},
			                "schemas": {"Problem": {"type": "object"}, "Thing": {"type": "object", "properties": {"id": {"type": "string"}}}}},
			 "paths": {
			  "/api/things/{id}": {"get": {"summary": "A thing", "operationId": "thing",
			    "parameters": [{"name": "id", "in": "path", "required": true}],
			    "responses": {
			      "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
			      "404": {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}}}}
			""";

	@Test
	void aCleanDescriptionHasNoErrors() throws Exception {
		assertThat(OpenApiLint.errors(json.readTree(CLEAN))).isEmpty();
	}

	@Test
	void everyRuleFindsWhatBreaksIt() throws Exception {
		assertThat(errors("\"summary\": \"A thing\", ", "")).containsExactly("operation-summary: GET /api/things/{id}");
		assertThat(errors("\"operationId\": \"thing\"", "\"operationId\": \"a thing\"")).singleElement()
			.asString()
			.startsWith("operation-operationId-url-safe");
		assertThat(errors("{\"name\": \"id\", \"in\": \"path\", \"required\": true}",
				"{\"name\": \"id\", \"in\": \"path\"}, {\"name\": \"id\", \"in\": \"path\"}"))
			.singleElement()
			.asString()
			.startsWith("operation-parameters-unique");
		assertThat(errors("{\"name\": \"id\", \"in\": \"path\", \"required\": true}",
				"{\"name\": \"key\", \"in\": \"path\", \"required\": true}"))
			.containsExactlyInAnyOrder("path-parameters-defined: GET /api/things/{id}: {id} is not defined",
					"path-parameters-defined: GET /api/things/{id}: key is not in the path");
		assertThat(errors("\"/api/things/{id}\"", "\"/api/things/{id}/\""))
			.contains("no-path-trailing-slash: /api/things/{id}/");
		assertThat(errors("#/components/schemas/Thing", "#/components/schemas/Nothing")).singleElement()
			.asString()
			.startsWith("no-unresolved-refs");
		assertThat(errors("\"security\": [{\"basic\": []}]", "\"security\": [{\"oauth\": []}]"))
			.containsExactly("security-defined: top level: oauth is not a security scheme");
		assertThat(errors("\"200\"", "\"302\"")).containsExactly("operation-2xx-response: GET /api/things/{id}");
		assertThat(errors("\"404\"", "\"504\"")).containsExactly("operation-4xx-response: GET /api/things/{id}");
		assertThat(errors("\"200\": {\"content\": {\"application/json\"", "\"200\": {\"content\": {\"*/*\""))
			.containsExactly("response-media-type: GET /api/things/{id}: 200 answers */*");
		assertThat(errors("{\"$ref\": \"#/components/schemas/Thing\"}}}},", "{\"type\": \"object\"}}}},"))
			.containsExactly("named-2xx-schema: GET /api/things/{id}: 200 has no named schema");
		assertThat(errors("\"properties\": {\"id\": {\"type\": \"string\"}}", "\"additionalProperties\": {}"))
			.containsExactly(
					"named-2xx-schema: GET /api/things/{id}: 200 names #/components/schemas/Thing, which has no properties");
		assertThat(errors("application/problem+json", "application/json"))
			.containsExactly("problem-4xx-response: GET /api/things/{id}: 404 is not application/problem+json");
	}

	@Test
	void twoOperationsWithOneIdAndTwoPathsOfOneShapeAreErrors() throws Exception {
		JsonNode api = json.readTree(CLEAN.replace("\"paths\": {", """
				"paths": {
				 "/api/things/{key}": {"get": {"summary": "The same", "operationId": "thing",
				   "parameters": [{"name": "key", "in": "path", "required": true}],
				   "responses": {"200": {}, "404": {"content": {"application/problem+json": {}}}}}},
				"""));
		assertThat(OpenApiLint.errors(api)).anyMatch((error) -> error.startsWith("operation-operationId-unique"))
			.anyMatch((error) -> error.startsWith("no-identical-paths"));
	}

	private static java.util.List<String> errors(String replaced, String by) throws Exception {
		assertThat(CLEAN).contains(replaced);
		return OpenApiLint.errors(json.readTree(CLEAN.replace(replaced, by)));
	}

}
