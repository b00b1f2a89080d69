package dev.trustledger.command.engagement;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trustledger.events.Party;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;

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
	IncidentTypes incidentTypes() {
		List<IncidentTypes.Type> types = Arrays.stream(IncidentType.values())
			.map((type) -> new IncidentTypes.Type(type.name(), names(type.required()),
					names(type.accepted().stream().filter((field) -> !type.required().contains(field)).toList()),
					type.impliedParty()))
			.toList();
		java.util.Map<String, IncidentTypes.FieldSpec> fields = new java.util.LinkedHashMap<>();
		for (IncidentType.Field field : IncidentType.Field.values()) {
			boolean number = field.input() == IncidentType.Input.NUMBER;
			fields.put(field.json(),
					new IncidentTypes.FieldSpec(field.label(), field.input().name().toLowerCase(java.util.Locale.ROOT),
							field.options().isEmpty() ? null : field.options(), number ? 1 : null, number ? 5 : null));
		}
		return new IncidentTypes(List.of("incidentId", "type", "occurredAt", "note"), types, fields);
	}

	/**
	 * The incident types and their fields.
	 *
	 * @param common the fields every incident has
	 * @param types each type with its own fields
	 * @param fields what each type-specific field is, for a form to ask for it
	 */
	record IncidentTypes(List<String> common, List<Type> types, java.util.Map<String, FieldSpec> fields) {

		/**
		 * A type-specific field as a form asks for it.
		 *
		 * @param label what to call it
		 * @param input {@code choice} (one of {@code options}), {@code number} (from
		 * {@code min} to {@code max}), {@code text}, {@code instant}, {@code promise}
		 * (the id of one of the engagement's promises) or {@code incident} (the id of one
		 * of its incidents)
		 * @param options the values a choice takes, with their labels
		 */
		@Schema(name = "IncidentField")
		@JsonInclude(JsonInclude.Include.NON_NULL)
		record FieldSpec(String label, String input, List<IncidentType.Option> options, Integer min, Integer max) {
		}

		/**
		 * An incident type.
		 *
		 * @param required the fields it must have besides the common ones
		 * @param optional the fields it may have
		 * @param impliedParty the party it is about without saying so, if any
		 */
		@Schema(name = "IncidentType")
		@JsonInclude(JsonInclude.Include.NON_NULL)
		record Type(String type, List<String> required, List<String> optional, Party impliedParty) {
		}

	}

	private static List<String> names(java.util.Collection<IncidentType.Field> fields) {
		return fields.stream().sorted().map(IncidentType.Field::json).toList();
	}

}
