package dev.trustledger.command;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.trustledger.command.engagement.RuleViolation;
import dev.trustledger.support.Problems;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every rejection as RFC 9457 problem+json with a stable {@code code} and, where one
 * field is at fault, {@code field}; invalid requests list every field error.
 */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

	@ExceptionHandler
	ProblemDetail ruleViolated(RuleViolation ex) {
		HttpStatus status = (ex.kind() == RuleViolation.Kind.CONFLICT) ? HttpStatus.CONFLICT
				: HttpStatus.UNPROCESSABLE_ENTITY;
		return Problems.problem(status, ex.code(), ex.field(), ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail engagementNotFound(AggregateNotFoundException ex) {
		return Problems.problem(HttpStatus.NOT_FOUND, "engagement-not-found", "engagementId",
				"No engagement " + ex.getAggregateIdentifier() + " is recorded.");
	}

	@ExceptionHandler
	ProblemDetail concurrentChange(ConcurrencyException ex) {
		return Problems.problem(HttpStatus.CONFLICT, "concurrent-change", "engagementId",
				"The engagement changed while this command was handled; send it again.");
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.sorted(Comparator.comparing(FieldError::getField))
			.map((error) -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())))
			.toList();
		String first = errors.isEmpty() ? null : errors.get(0).get("field");
		ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "invalid-field", first,
				errors.size() + " field(s) are invalid.");
		problem.setProperty("errors", errors);
		return ResponseEntity.badRequest().body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (ex.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
			String field = mapping.getPath()
				.stream()
				.map((reference) -> (reference.getFieldName() != null) ? reference.getFieldName()
						: "[" + reference.getIndex() + "]")
				.reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
				.orElse(null);
			ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "invalid-field", field,
					"The value of " + field + " cannot be read.");
			problem.setProperty("errors", List.of(Map.of("field", field, "message", "unreadable value")));
			return ResponseEntity.badRequest().body(problem);
		}
		return ResponseEntity.badRequest()
			.body(Problems.problem(HttpStatus.BAD_REQUEST, "malformed-json", null,
					"The request body is not valid JSON."));
	}

}
