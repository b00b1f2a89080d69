package dev.trustledger.command.web;

import java.util.List;
import java.util.Map;

import dev.trustledger.command.engagement.RuleViolation;
import dev.trustledger.support.PayloadTooLargeException;
import dev.trustledger.support.Problems;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every rejection as RFC 9457 problem+json with a stable {@code code} and, where one
 * field is at fault, {@code field}; invalid requests list every field error in
 * {@code errors}. The bulk import answers each line with the same problems.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

	private final CommandOutcomes outcomes;

	ProblemResponses(CommandOutcomes outcomes) {
		this.outcomes = outcomes;
	}

	/**
	 * The problem a command rejection answers with, or {@code null} when it is no
	 * rejection but a fault.
	 */
	public static ProblemDetail problemFor(Throwable ex) {
		if (ex instanceof RuleViolation violation) {
			HttpStatus status = (violation.kind() == RuleViolation.Kind.CONFLICT) ? HttpStatus.CONFLICT
					: HttpStatus.UNPROCESSABLE_ENTITY;
			return Problems.problem(status, violation.code(), violation.field(), violation.getMessage());
		}
		if (ex instanceof AggregateNotFoundException notFound) {
			return Problems.problem(HttpStatus.NOT_FOUND, "engagement-not-found", "engagementId",
					"No engagement " + notFound.getAggregateIdentifier() + " is recorded.");
		}
		if (ex instanceof ConcurrencyException) {
			return Problems.problem(HttpStatus.CONFLICT, "concurrent-change", "engagementId",
					"The engagement changed while this command was handled; send it again.");
		}
		if (ex instanceof InvalidRequestException invalid) {
			List<Map<String, String>> errors = invalid.problems()
				.stream()
				.map((problem) -> Map.of("field", problem.field(), "message", problem.message()))
				.toList();
			ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "invalid-field",
					invalid.problems().get(0).field(), invalid.getMessage());
			problem.setProperty("errors", errors);
			return problem;
		}
		if (ex instanceof ForbiddenFieldException forbidden) {
			return Problems.problem(HttpStatus.FORBIDDEN, "forbidden", forbidden.field(), forbidden.getMessage());
		}
		if (ex instanceof MalformedJsonException malformed) {
			return Problems.problem(HttpStatus.BAD_REQUEST, "malformed-json", null, malformed.getMessage());
		}
		if (ex instanceof PayloadTooLargeException tooLarge) {
			return Problems.problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", null, tooLarge.getMessage());
		}
		return null;
	}

	@ExceptionHandler({ RuleViolation.class, AggregateNotFoundException.class, ConcurrencyException.class,
			InvalidRequestException.class, ForbiddenFieldException.class, PayloadTooLargeException.class })
	ResponseEntity<ProblemDetail> rejected(Exception ex) {
		ProblemDetail problem = problemFor(ex);
		this.outcomes.rejected(problem, "http");
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		PayloadTooLargeException tooLarge = PayloadTooLargeException.findIn(ex);
		ProblemDetail problem = (tooLarge != null) ? problemFor(tooLarge)
				: problemFor(new MalformedJsonException(ex.getMostSpecificCause()));
		this.outcomes.rejected(problem, "http");
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

}
