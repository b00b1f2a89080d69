package dev.trustledger.events.alert;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.axonframework.serialization.Revision;

/**
 * Trust in an engagement fell far enough to tell its delivery lead. Raised once per
 * crossing by the query service, on the Kafka topic {@code trustledger.alerts}.
 *
 * @param alertId stable: the engagement, the kind and the sequence of the event that
 * crossed, so that a repeated alert is recognisable
 * @param kind {@code TRUST_DROP} (a fall of at least the model's points within its
 * window), {@code ENTERED_AT_RISK}, {@code MUTUAL_RESPONSIBILITY_LOW} (mutual
 * responsibility below the model's low band) or {@code SPONSOR_LOST}
 * @param peakTrust the highest trust within the window before the fall
 * @param causedBy ids of the events in the window that lowered trust (mutual
 * responsibility, for {@code MUTUAL_RESPONSIBILITY_LOW})
 * @param occurredAt when the crossing event occurred
 */
@Revision("1")
public record TrustAlertRaised(String engagementId, String alertId, String kind, BigDecimal trust, BigDecimal peakTrust,
		String band, List<String> causedBy, Instant occurredAt, String modelVersion) {
}
