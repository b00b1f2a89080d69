package dev.trustledger.command.web;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.stereotype.Component;

/**
 * Reads a JSON object into a request record field by field, so that one answer lists
 * every mistake: values that cannot be read, fields the request does not have, and every
 * Bean Validation error. Jackson alone stops at the first unreadable value.
 */
@Component
public class RequestReader {

	private final ObjectMapper objectMapper;

	private final Validator validator;

	RequestReader(ObjectMapper objectMapper, Validator validator) {
		this.objectMapper = objectMapper;
		this.validator = validator;
	}

	/**
	 * @throws InvalidRequestException listing every field error
	 */
	public <R extends Record> R read(JsonNode body, Class<R> type) {
		if (body == null || !body.isObject()) {
			throw new InvalidRequestException(List.of(new FieldProblem("", "the body must be a JSON object")));
		}
		RecordComponent[] components = type.getRecordComponents();
		List<FieldProblem> problems = new ArrayList<>();
		Set<String> known = new HashSet<>();
		Arrays.stream(components).forEach((component) -> known.add(component.getName()));
		for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
			String name = names.next();
			if (!known.contains(name)) {
				problems.add(new FieldProblem(name, "is not a field of this request"));
			}
		}
		Set<String> unreadable = new HashSet<>();
		Object[] values = new Object[components.length];
		for (int i = 0; i < components.length; i++) {
			RecordComponent component = components[i];
			JsonNode value = body.get(component.getName());
			if (value == null || value.isNull()) {
				continue;
			}
			if (value.isTextual() && value.asText().isBlank() && component.getType() != String.class) {
				// Jackson would read a blank text as absent: a blank time is not "now"
				unreadable.add(component.getName());
				problems.add(new FieldProblem(component.getName(),
						"cannot be read as " + describe(component.getType()) + ": " + abbreviate(value)));
				continue;
			}
			try {
				values[i] = this.objectMapper.treeToValue(value,
						this.objectMapper.constructType(component.getGenericType()));
			}
			// any failure to read a value is the value's fault: Jackson's own, and the
			// date and arithmetic errors of a number that is no time (1e20 seconds)
			catch (JsonProcessingException | RuntimeException ex) {
				unreadable.add(component.getName());
				problems.add(new FieldProblem(component.getName(),
						"cannot be read as " + describe(component.getType()) + ": " + abbreviate(value)));
			}
		}
		R request = construct(type, components, values);
		for (ConstraintViolation<R> violation : this.validator.validate(request)) {
			String field = violation.getPropertyPath().toString();
			if (!unreadable.contains(field)) {
				problems.add(new FieldProblem(field, violation.getMessage()));
			}
		}
		if (!problems.isEmpty()) {
			problems.sort(Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message));
			throw new InvalidRequestException(problems);
		}
		return request;
	}

	private static <R extends Record> R construct(Class<R> type, RecordComponent[] components, Object[] values) {
		try {
			Class<?>[] parameterTypes = Arrays.stream(components)
				.map(RecordComponent::getType)
				.toArray(Class<?>[]::new);
			Constructor<R> constructor = type.getDeclaredConstructor(parameterTypes);
			constructor.setAccessible(true);
			return constructor.newInstance(values);
		}
		catch (NoSuchMethodException | InstantiationException | IllegalAccessException | InvocationTargetException ex) {
			throw new IllegalStateException("Cannot construct " + type.getSimpleName(), ex);
		}
	}

	private static String describe(Class<?> type) {
		return switch (type.getSimpleName()) {
			case "UUID" -> "a UUID";
			case "Instant" -> "an ISO-8601 instant such as 2026-04-14T16:30:00Z";
			case "Integer" -> "a whole number";
			case "String" -> "a string";
			default -> type.isEnum() ? "one of " + Arrays.toString(type.getEnumConstants()) : type.getSimpleName();
		};
	}

	private static String abbreviate(JsonNode value) {
		String text = value.toString();
		return (text.length() <= 40) ? text : text.substring(0, 37) + "...";
	}

}
