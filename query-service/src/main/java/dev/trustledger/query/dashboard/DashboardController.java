package dev.trustledger.query.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.support.Problems;
import dev.trustledger.support.security.Role;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/** What the dashboard's pages ask of the server besides the query API. */
@RestController
class DashboardController {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final URI commandService;

	private final ObjectMapper objectMapper;

	private final RelayCredentials relayCredentials;

	DashboardController(DashboardProperties properties, ObjectMapper objectMapper, RelayCredentials relayCredentials) {
		this.commandService = properties.commandServiceUrl();
		this.objectMapper = objectMapper;
		this.relayCredentials = relayCredentials;
	}

	/** Who is signed in, with which roles, and what the pages may offer them. */
	@Operation(summary = "The signed-in user: name, roles and what the dashboard may offer")
	@GetMapping("/api/me")
	Me me(Authentication authentication) {
		List<String> roles = authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter((authority) -> authority.startsWith("ROLE_"))
			.map((authority) -> authority.substring("ROLE_".length()))
			.sorted()
			.toList();
		return new Me(authentication.getName(), roles,
				roles.contains(Role.ACCOUNT_TEAM.name()) || roles.contains(Role.ADMIN.name()),
				roles.contains(Role.ANALYST.name()) || roles.contains(Role.ADMIN.name()),
				roles.contains(Role.DELIVERY_LEAD.name()) || roles.contains(Role.ADMIN.name()));
	}

	/**
	 * The signed-in user.
	 *
	 * @param roles the user's roles
	 * @param mayRecord whether the user may record incidents
	 * @param mayAnalyse whether the user may use the analysts' history tools
	 * @param maySubscribe whether the user may subscribe webhooks to alerts
	 */
	record Me(String name, List<String> roles, boolean mayRecord, boolean mayAnalyse, boolean maySubscribe) {
	}

	/**
	 * The incident types with their fields, as the command service defines them, for the
	 * form.
	 */
	@Operation(summary = "The incident types the dashboard's form offers, as the command service defines them")
	// the dashboard's relay to the command API, which documents these answers
	@Hidden
	@GetMapping("/dashboard/incident-types")
	ResponseEntity<String> incidentTypes(HttpServletRequest request) {
		return relay(request, HttpRequest.newBuilder(this.commandService.resolve("/api/incident-types")).GET());
	}

	/**
	 * Records an incident from the dashboard's form: the body goes unchanged to the
	 * command service's {@code POST /api/engagements/{id}/incidents} as the signed-in
	 * user, and its answer, problem+json included, comes back unchanged.
	 */
	@Operation(summary = "Records an incident through the command service, as the signed-in user")
	// the dashboard's relay to the command API, which documents these answers
	@Hidden
	@PostMapping(path = "/dashboard/engagements/{engagementId}/incidents", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> recordIncident(@PathVariable String engagementId, @RequestBody String body,
			HttpServletRequest request) {
		URI target = this.commandService
			.resolve("/api/engagements/" + UriUtils.encodePathSegment(engagementId, "UTF-8") + "/incidents");
		return relay(request,
				HttpRequest.newBuilder(target)
					.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
					.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/**
	 * Sends to the command service as the signed-in user; its answer comes back
	 * unchanged.
	 */
	private ResponseEntity<String> relay(HttpServletRequest request, HttpRequest.Builder relayed) {
		String credential = this.relayCredentials.credential(request);
		if (credential == null) {
			return problem(HttpStatus.UNAUTHORIZED, "sign-in-again", "Sign in again on the dashboard to record.");
		}
		try {
			HttpResponse<String> answer = this.http.send(
					relayed.timeout(TIMEOUT).header(HttpHeaders.AUTHORIZATION, credential).build(),
					HttpResponse.BodyHandlers.ofString());
			ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.statusCode());
			answer.headers()
				.firstValue(HttpHeaders.CONTENT_TYPE)
				.ifPresent((type) -> response.header(HttpHeaders.CONTENT_TYPE, type));
			return response.body(answer.body());
		}
		catch (IOException ex) {
			return problem(HttpStatus.SERVICE_UNAVAILABLE, "command-service-unavailable", "The command service at "
					+ this.commandService + " did not answer; nothing was recorded. Try again.");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return problem(HttpStatus.SERVICE_UNAVAILABLE, "command-service-unavailable", "Interrupted; try again.");
		}
	}

	private ResponseEntity<String> problem(HttpStatus status, String code, String detail) {
		try {
			return ResponseEntity.status(status)
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(this.objectMapper.writeValueAsString(Problems.problem(status, code, null, detail)));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
