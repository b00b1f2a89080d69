package dev.trustledger.query.webhook;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import dev.trustledger.events.alert.TrustAlertRaised;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.projection.CloudEventReader;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.support.tracing.TraceContexts;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;

import org.springframework.kafka.annotation.KafkaListener;

/**
 * Turns each alert on the alerts topic into a delivery for every subscription it matches,
 * in a consumer group of its own ({@code trustledger-webhooks}), so deliveries are driven
 * from Kafka and survive any restart: an alert whose deliveries were not all queued is
 * read again, and queuing one twice changes nothing.
 * <p>
 * A subscription gets the alerts published after it was made (the record's timestamp
 * against the subscription's creation): a new subscription is not sent the topic's
 * history, and the group may start from the topic's beginning without flooding anyone.
 */
class AlertListener {

	static final String ID = "webhook-deliveries";

	private final CloudEventReader reader;

	private final ObjectMapper objectMapper;

	private final Subscriptions subscriptions;

	private final Deliveries deliveries;

	private final Payloads payloads;

	private final Generations generations;

	private final Dispatcher dispatcher;

	private final Clock clock;

	AlertListener(CloudEventReader reader, ObjectMapper objectMapper, Subscriptions subscriptions,
			Deliveries deliveries, Payloads payloads, Generations generations, Dispatcher dispatcher, Clock clock) {
		this.reader = reader;
		this.objectMapper = objectMapper;
		this.subscriptions = subscriptions;
		this.deliveries = deliveries;
		this.payloads = payloads;
		this.generations = generations;
		this.dispatcher = dispatcher;
		this.clock = clock;
	}

	@KafkaListener(id = ID, groupId = "${trustledger.webhooks.consumer-group:trustledger-webhooks}",
			topics = "${trustledger.kafka.alerts:trustledger.alerts}", containerFactory = "webhookListenerFactory")
	void on(ConsumerRecord<String, byte[]> record) throws IOException {
		if (record.value() == null) {
			return;
		}
		CloudEvent event = this.reader.cloudEvent(record);
		if (event.getData() == null) {
			throw new UnreadableAlertException("alert " + event.getId() + " has no data");
		}
		TrustAlertRaised alert = read(event);
		Map<String, String> trace = new LinkedHashMap<>();
		for (String name : List.of(TraceContexts.TRACEPARENT, TraceContexts.TRACESTATE)) {
			if (event.getExtension(name) instanceof String value) {
				trace.put(name, value);
			}
		}
		Instant published = Instant.ofEpochMilli(record.timestamp());
		List<Subscription> candidates = this.subscriptions.list(null)
			.stream()
			.filter((subscription) -> !published.isBefore(subscription.createdAt()))
			.toList();
		if (candidates.isEmpty()) {
			return;
		}
		Document engagement = this.generations.current()
			.collection(EngagementProjection.COLLECTION)
			.find(Filters.eq("_id", alert.engagementId()))
			.projection(new Document("clientName", 1).append("deliveryLead", 1)
				.append("accountTeam", 1)
				.append("status", 1)
				.append("scores.mutualResponsibility", 1))
			.first();
		if (engagement == null) {
			engagement = new Document("_id", alert.engagementId());
		}
		Instant now = this.clock.instant();
		Map<Subscription.Format, AlertMessage> messages = new EnumMap<>(Subscription.Format.class);
		boolean queued = false;
		for (Subscription subscription : candidates) {
			if (!subscription.matches(alert.kind(), engagement.getString("deliveryLead"),
					engagement.getString("accountTeam"))) {
				continue;
			}
			Document about = engagement;
			AlertMessage message = messages.computeIfAbsent(subscription.format(),
					(format) -> this.payloads.message(format, alert, about));
			if (subscription.enabled()) {
				queued |= this.deliveries.queue(subscription, message, now, trace);
			}
			else {
				this.deliveries.skip(subscription, message, now,
						"the subscription was disabled: " + subscription.disabledReason());
			}
		}
		if (queued) {
			this.dispatcher.wake();
		}
	}

	private TrustAlertRaised read(CloudEvent event) {
		try {
			TrustAlertRaised alert = this.objectMapper.readValue(event.getData().toBytes(), TrustAlertRaised.class);
			if (alert.alertId() == null || alert.engagementId() == null || alert.kind() == null || alert.trust() == null
					|| alert.peakTrust() == null || alert.occurredAt() == null) {
				throw new UnreadableAlertException("alert " + event.getId() + " lacks a field every alert has");
			}
			return alert;
		}
		catch (IOException ex) {
			throw new UnreadableAlertException("alert " + event.getId() + " is not an alert: " + ex.getMessage());
		}
	}

	/** A record that reading again cannot make an alert. */
	static final class UnreadableAlertException extends RuntimeException {

		UnreadableAlertException(String message) {
			super(message);
		}

	}

}
