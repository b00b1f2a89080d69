package dev.trustledger.support;

import java.util.Locale;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the servlet container's own rejections answer: problem+json like every other
 * rejection, not Spring Boot's default error body. These are requests that never reach a
 * controller: a path the container refuses (an encoded slash, say), an exception thrown
 * by a filter, a request cut short. The code is the status in words
 * ({@code bad-request}); the cause is not repeated.
 */
@Hidden // not an operation of the API: where the container sends what failed elsewhere
@RestController
class ProblemErrorController implements ErrorController {

	@RequestMapping("${server.error.path:${error.path:/error}}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = (code instanceof Integer number && HttpStatus.resolve(number) != null)
				? HttpStatus.valueOf(number) : HttpStatus.INTERNAL_SERVER_ERROR;
		ProblemDetail problem = Problems.problem(status,
				status.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"), null,
				status.is5xxServerError() ? "The service could not answer this request; see its log."
						: "The request was refused before it reached the API: " + status.getReasonPhrase() + ".");
		Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		if (uri instanceof String path) {
			problem.setInstance(java.net.URI.create(path.replaceAll("[^A-Za-z0-9/._~-]", "_")));
		}
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
