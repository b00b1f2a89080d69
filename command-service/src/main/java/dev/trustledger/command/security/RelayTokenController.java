package dev.trustledger.command.security;

import java.security.Principal;

import io.swagger.v3.oas.annotations.Operation;

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
	@PostMapping("/api/relay-tokens")
	RelayTokens.Issued issue(Principal principal) {
		return this.tokens.issue(principal.getName());
	}

}
