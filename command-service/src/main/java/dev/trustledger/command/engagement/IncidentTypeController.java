package dev.trustledger.command.engagement;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The incident vocabulary as data, so that a form (the dashboard's) offers each type with
 * exactly the fields it needs and takes, from the rules the API checks.
 */
@RestController
class IncidentTypeController {

	@Operation(summary = "The incident types, each with its required and optional fields")
	@GetMapping("/api/incident-types")
	Map<String, Object> incidentTypes() {
		List<Map<String, Object>> types = Arrays.stream(IncidentType.values()).map((type) -> {
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("type", type.name());
			view.put("required", names(type.required()));
			view.put("optional",
					names(type.accepted().stream().filter((field) -> !type.required().contains(field)).toList()));
			view.put("impliedParty", type.impliedParty());
			return view;
		}).toList();
		return Map.of("common", List.of("incidentId", "type", "occurredAt", "note"), "types", types);
	}

	private static List<String> names(java.util.Collection<IncidentType.Field> fields) {
		return fields.stream().sorted().map(IncidentType.Field::json).toList();
	}

}
