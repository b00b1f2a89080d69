package dev.trustledger.infra;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * Lints an OpenAPI 3 description as the services serve it, with the error rules of
 * Redocly's recommended ruleset that apply to a description without servers or examples
 * ({@code operation-summary}, {@code operation-operationId-unique},
 * {@code operation-operationId-url-safe}, {@code operation-parameters-unique},
 * {@code path-parameters-defined}, {@code path-not-include-query},
 * {@code no-path-trailing-slash}, {@code no-identical-paths}, {@code no-unresolved-refs},
 * {@code security-defined}), and two of its warnings raised to errors because this
 * project promises them: {@code operation-2xx-response} and
 * {@code operation-4xx-response}, each 4xx answer a problem; and two of this project's
 * own: every 2xx answer has a media type of its own ({@code response-media-type}), and a
 * JSON one a named schema with properties ({@code named-2xx-schema}). Written here rather
 * than run through Redocly's own CLI so that the suite needs no Node.js; the rules are
 * small and each is tested.
 */
public final class OpenApiLint {

	private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
			"trace");

	private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}/]+)}");

	private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9\\-._~:@!$&'()*+,;=]+");

	private OpenApiLint() {
	}

	/**
	 * Every error found, each as {@code rule: where: what}; none for a clean description.
	 */
	public static List<String> errors(JsonNode api) {
		List<String> errors = new ArrayList<>();
		Map<String, String> operationIds = new HashMap<>();
		Map<String, String> shapes = new HashMap<>();
		Set<String> schemes = new HashSet<>();
		api.path("components").path("securitySchemes").fieldNames().forEachRemaining(schemes::add);
		checkSecurity(api.path("security"), schemes, "top level", errors);
		api.path("paths").fields().forEachRemaining((path) -> {
			String name = path.getKey();
			if (name.contains("?")) {
				errors.add("path-not-include-query: " + name + ": a query string in a path");
			}
			if (name.length() > 1 && name.endsWith("/")) {
				errors.add("no-path-trailing-slash: " + name);
			}
			String shape = PATH_PARAMETER.matcher(name).replaceAll("{}");
			String same = shapes.putIfAbsent(shape, name);
			if (same != null) {
				errors.add("no-identical-paths: " + name + " and " + same);
			}
			Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields();
			while (operations.hasNext()) {
				Map.Entry<String, JsonNode> entry = operations.next();
				if (METHODS.contains(entry.getKey())) {
					checkOperation(api, name, entry.getKey(), entry.getValue(), path.getValue().path("parameters"),
							operationIds, schemes, errors);
				}
			}
		});
		checkRefs(api, api, "", errors);
		return errors;
	}

	private static void checkOperation(JsonNode api, String path, String method, JsonNode operation,
			JsonNode pathParameters, Map<String, String> operationIds, Set<String> schemes, List<String> errors) {
		String where = method.toUpperCase(Locale.ROOT) + " " + path;
		if (operation.path("summary").asText("").isBlank()) {
			errors.add("operation-summary: " + where);
		}
		String operationId = operation.path("operationId").asText(null);
		if (operationId != null) {
			String other = operationIds.putIfAbsent(operationId, where);
			if (other != null) {
				errors.add("operation-operationId-unique: " + where + " and " + other + " are both " + operationId);
			}
			if (!URL_SAFE.matcher(operationId).matches()) {
				errors.add("operation-operationId-url-safe: " + where + ": " + operationId);
			}
		}
		Set<String> parameters = new HashSet<>();
		Set<String> inPath = new HashSet<>();
		for (JsonNode parameter : operation.path("parameters")) {
			JsonNode resolved = resolve(api, parameter);
			String key = resolved.path("in").asText() + ":" + resolved.path("name").asText();
			if (!parameters.add(key)) {
				errors.add("operation-parameters-unique: " + where + ": " + key);
			}
			if (resolved.path("in").asText().equals("path")) {
				inPath.add(resolved.path("name").asText());
			}
		}
		for (JsonNode parameter : pathParameters) {
			JsonNode resolved = resolve(api, parameter);
			if (resolved.path("in").asText().equals("path")) {
				inPath.add(resolved.path("name").asText());
			}
		}
		Matcher named = PATH_PARAMETER.matcher(path);
		Set<String> declared = new HashSet<>();
		while (named.find()) {
			declared.add(named.group(1));
			if (!inPath.contains(named.group(1))) {
				errors.add("path-parameters-defined: " + where + ": {" + named.group(1) + "} is not defined");
			}
		}
		for (String parameter : inPath) {
			if (!declared.contains(parameter)) {
				errors.add("path-parameters-defined: " + where + ": " + parameter + " is not in the path");
			}
		}
		checkSecurity(operation.path("security"), schemes, where, errors);
		List<String> statuses = new ArrayList<>();
		operation.path("responses").fieldNames().forEachRemaining(statuses::add);
		if (statuses.stream().noneMatch((status) -> status.startsWith("2") || status.equalsIgnoreCase("default"))) {
			errors.add("operation-2xx-response: " + where);
		}
		if (statuses.stream().noneMatch((status) -> status.startsWith("4"))) {
			errors.add("operation-4xx-response: " + where);
		}
		for (String status : statuses) {
			if (status.startsWith("2")) {
				checkNamedSchema(api, where, status, resolve(api, operation.path("responses").path(status)), errors);
			}
			if (status.startsWith("4")) {
				JsonNode content = resolve(api, operation.path("responses").path(status)).path("content");
				if (!content.has("application/problem+json")) {
					errors.add("problem-4xx-response: " + where + ": " + status + " is not application/problem+json");
				}
			}
		}
	}

	/**
	 * A 2xx answer names its media type, and a JSON one a schema of the components with
	 * properties: a client generated from the description gets a type, not a map.
	 */
	private static void checkNamedSchema(JsonNode api, String where, String status, JsonNode response,
			List<String> errors) {
		response.path("content").fields().forEachRemaining((media) -> {
			String type = media.getKey();
			if (type.contains("*")) {
				errors.add("response-media-type: " + where + ": " + status + " answers " + type);
			}
			else if (type.equals("application/json") || type.endsWith("+json")) {
				JsonNode schema = media.getValue().path("schema");
				if (schema.path("type").asText().equals("array")) {
					schema = schema.path("items");
				}
				if (!schema.has("$ref")) {
					errors.add("named-2xx-schema: " + where + ": " + status + " has no named schema");
				}
				else if (!resolve(api, schema).isMissingNode() && !resolve(api, schema).has("properties")) {
					errors.add("named-2xx-schema: " + where + ": " + status + " names " + schema.path("$ref").asText()
							+ ", which has no properties");
				}
			}
		});
	}

	private static void checkSecurity(JsonNode security, Set<String> schemes, String where, List<String> errors) {
		for (JsonNode requirement : security) {
			requirement.fieldNames().forEachRemaining((scheme) -> {
				if (!schemes.contains(scheme)) {
					errors.add("security-defined: " + where + ": " + scheme + " is not a security scheme");
				}
			});
		}
	}

	private static void checkRefs(JsonNode api, JsonNode node, String where, List<String> errors) {
		if (node.isObject()) {
			JsonNode ref = node.get("$ref");
			if (ref != null && ref.isTextual() && resolve(api, node).isMissingNode()) {
				errors.add("no-unresolved-refs: " + where + ": " + ref.asText());
			}
			node.fields()
				.forEachRemaining((field) -> checkRefs(api, field.getValue(), where + "/" + field.getKey(), errors));
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				checkRefs(api, node.get(i), where + "/" + i, errors);
			}
		}
	}

	/** A node, or what its local {@code $ref} points at; missing when that is nowhere. */
	private static JsonNode resolve(JsonNode api, JsonNode node) {
		JsonNode ref = node.get("$ref");
		if (ref == null || !ref.isTextual()) {
			return node;
		}
		String pointer = ref.asText();
		return pointer.startsWith("#") ? api.at(pointer.substring(1)) : MissingNode.getInstance();
	}

}
