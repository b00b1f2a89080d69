package dev.trustledger.events.engagement;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.trustledger.events.EngagementEvent;
import org.axonframework.serialization.Revision;

/**
 * An engagement with a client began on {@code openedAt}.
 *
 * @param sponsor the client-side executive sponsor, or {@code null} when there is none
 */
@Revision("1")
public record EngagementOpened(String engagementId, String clientName, String accountTeam, String deliveryLead,
		String sponsor, Instant openedAt, String recordedBy) implements EngagementEvent {

	@Override
	@JsonIgnore
	public Instant occurredAt() {
		return this.openedAt;
	}

}
