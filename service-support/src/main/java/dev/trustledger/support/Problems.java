package dev.trustledger.support;

import java.io.IOException;
import java.net.URI;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * RFC 9457 problem details with the two extra members every Trust Ledger rejection
 * carries.
 */
public final class Problems {

	/** Each code's type URI is this base followed by the code. */
	public static final URI TYPE_BASE = URI.create("https://trustledger.dev/problems/");

	private Problems() {
	}

	/**
	 * Writes a problem as the answer to a request that no controller handles: from a
	 * filter or an authentication handler.
	 */
	public static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem,
			ObjectMapper objectMapper) throws IOException {
		problem.setInstance(URI.create(request.getRequestURI()));
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		objectMapper.writeValue(response.getOutputStream(), problem);
	}

	/**
	 * @param code stable, machine-readable reason, such as {@code engagement-not-found}
	 * @param field the request field at fault, or {@code null}
	 */
	public static ProblemDetail problem(HttpStatus status, String code, String field, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(TYPE_BASE.resolve(code));
		problem.setTitle(status.getReasonPhrase());
		problem.setProperty("code", code);
		if (field != null) {
			problem.setProperty("field", field);
		}
		return problem;
	}

	/** A controller's answer with the problem as its body, as problem+json. */
	public static ResponseEntity<ProblemDetail> answer(HttpStatus status, String code, String field, String detail) {
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem(status, code, field, detail));
	}

}
