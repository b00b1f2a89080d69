package dev.trustledger.command.engagement;

import java.time.Instant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Opening an engagement, as the command API takes it.
 *
 * @param engagementId chosen by the caller, or left out for a generated UUID
 * @param sponsor the client-side executive sponsor, if there is one
 * @param openedAt defaults to now
 */
public record OpenEngagementRequest(@Pattern(regexp = EngagementCommands.ID_PATTERN) String engagementId,
		@NotBlank @Size(max = 200) @PlainText String clientName,
		@NotBlank @Size(max = 200) @PlainText String accountTeam,
		@NotBlank @Size(max = 200) @PlainText String deliveryLead, @Size(min = 1, max = 200) @PlainText String sponsor,
		@BusinessTime Instant openedAt) {
}
