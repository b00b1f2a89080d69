package dev.trustledger.command.engagement;

import java.time.Instant;

import jakarta.validation.constraints.Size;

/**
 * Closing or reopening an engagement.
 *
 * @param occurredAt defaults to now
 */
public record LifecycleRequest(@BusinessTime Instant occurredAt,
		@Size(max = 2000) @PlainText(multiline = true) String note) {

	static final LifecycleRequest EMPTY = new LifecycleRequest(null, null);

}
