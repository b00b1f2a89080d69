package dev.trustledger.query.web;

import dev.trustledger.support.Problems;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * A query parameter that cannot be read ({@code asOf=yesterday}) or is missing gets the
 * same problem+json as every other rejection: a stable code and the parameter at fault.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestProblems {

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ProblemDetail> unreadable(MethodArgumentTypeMismatchException ex) {
		String expected = (ex.getRequiredType() != null) ? ex.getRequiredType().getSimpleName() : "another type";
		String hint = "Instant".equals(expected) ? " an ISO-8601 instant such as 2026-06-30T00:00:00Z" : " " + expected;
		return answer(Problems.problem(HttpStatus.BAD_REQUEST, "invalid-field", ex.getName(),
				ex.getName() + " must be" + hint + "; got '" + ex.getValue() + "'."));
	}

	@ExceptionHandler(MissingServletRequestParameterException.class)
	ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException ex) {
		return answer(Problems.problem(HttpStatus.BAD_REQUEST, "invalid-field", ex.getParameterName(),
				ex.getParameterName() + " is required."));
	}

	private static ResponseEntity<ProblemDetail> answer(ProblemDetail problem) {
		return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
