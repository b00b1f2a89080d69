package dev.trustledger.command.security;

import java.security.Principal;
import java.time.Instant;

import dev.trustledger.support.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Issues relay tokens ({@link RelayTokens}) to users who may record. */
@RestController
class RelayTokenController {

	private final RelayTokens tokens;

	RelayTokenController(RelayTokens tokens) {
		this.tokens = tokens;
	}

	@Operation(summary = "Issue a short-lived token to record incidents with",
			description = "For the dashboard, which records on its users' behalf without keeping their passwords: "
					+ "send it as 'Authorization: Relay <token>'. Asked with a relay token, it answers a fresh one.")
	@ApiResponse(responseCode = "200", description = "A token and when it expires",
			content = @Content(schema = @Schema(implementation = RelayTokens.Issued.class)))
	@PostMapping("/api/relay-tokens")
	ResponseEntity<?> issue(Principal principal, HttpServletRequest request) {
		Instant signedInAt = (request.getAttribute(RelayTokenFilter.SIGNED_IN_AT) instanceof Instant chain) ? chain
				: this.tokens.now();
		RelayTokens.Issued issued = this.tokens.issue(principal.getName(), signedInAt);
		if (issued == null) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(Problems.problem(HttpStatus.UNAUTHORIZED, "sign-in-expired", null,
						"Relay tokens are renewed for 12 hours after signing in at most: sign in again."));
		}
		return ResponseEntity.ok(issued);
	}

}
