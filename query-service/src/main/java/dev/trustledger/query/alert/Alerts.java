package dev.trustledger.query.alert;

import java.net.URI;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.trustledger.events.EventEnvelope;
import dev.trustledger.events.alert.TrustAlertRaised;
import dev.trustledger.query.generation.Generation;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.Document;
import org.bson.conversions.Bson;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Raises trust alerts: keeps each in the generation's {@code alerts} collection under its
 * stable id and publishes it to {@code trustledger.alerts} with the same envelope rules
 * as engagement events, before the engagement's state records that it was raised. A
 * redelivered event finds the alert already kept and publishes it again under the same
 * id, which consumers recognise: once in effect.
 */
@Component
public class Alerts {

	public static final String COLLECTION = "alerts";

	static final String TYPE = "trustledger.alert.TrustAlertRaised.v1";

	private final KafkaTemplate<String, CloudEvent> kafka;

	private final ObjectMapper objectMapper;

	private final String topic;

	Alerts(KafkaTemplate<String, CloudEvent> kafka, ObjectMapper objectMapper,
			@Value("${trustledger.kafka.alerts:trustledger.alerts}") String topic) {
		this.kafka = kafka;
		this.objectMapper = objectMapper;
		this.topic = topic;
	}

	/**
	 * Keeps the alerts in {@code generation}, then publishes them when {@code publish}
	 * says so.
	 */
	public void raise(Generation generation, List<TrustAlertRaised> raised, boolean publish) {
		for (TrustAlertRaised alert : raised) {
			keep(generation, alert);
			if (publish) {
				publish(alert);
			}
		}
	}

	/** The most recent alerts first, optionally of one engagement. */
	List<Document> list(Generation generation, String engagementId, int limit) {
		Bson filter = (engagementId != null) ? Filters.eq("engagementId", engagementId) : new Document();
		List<Document> list = new ArrayList<>();
		generation.collection(COLLECTION)
			.find(filter)
			.sort(Sorts.descending("occurredAt"))
			.limit(limit)
			.forEach(list::add);
		return list;
	}

	private void keep(Generation generation, TrustAlertRaised alert) {
		try {
			generation.collection(COLLECTION).insertOne(document(alert));
		}
		catch (MongoWriteException ex) {
			if (ex.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw ex;
			}
		}
	}

	void publish(TrustAlertRaised alert) {
		CloudEvent event = CloudEventBuilder.v1()
			.withId(alert.alertId())
			.withType(TYPE)
			.withSource(URI.create(EventEnvelope.SOURCE_PREFIX + alert.engagementId()))
			.withSubject(alert.engagementId())
			.withTime(alert.occurredAt().atOffset(ZoneOffset.UTC))
			.withDataContentType("application/json")
			.withData(json(alert).getBytes(java.nio.charset.StandardCharsets.UTF_8))
			.withExtension(EventEnvelope.OCCURRED_AT, alert.occurredAt().atOffset(ZoneOffset.UTC))
			.withExtension(EventEnvelope.RECORDED_BY, "query-service")
			.build();
		try {
			this.kafka.send(new ProducerRecord<>(this.topic, alert.engagementId(), event)).get(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while publishing " + alert.alertId(), ex);
		}
		catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("Alert " + alert.alertId() + " not acknowledged; will be retried", ex);
		}
	}

	private String json(Object value) {
		try {
			return this.objectMapper.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An alert as kept, under its stable id. */
	public static Document document(TrustAlertRaised alert) {
		return new Document("_id", alert.alertId()).append("engagementId", alert.engagementId())
			.append("alertId", alert.alertId())
			.append("kind", alert.kind())
			.append("trust", alert.trust().doubleValue())
			.append("peakTrust", alert.peakTrust().doubleValue())
			.append("band", alert.band())
			.append("causedBy", alert.causedBy())
			.append("occurredAt", Date.from(alert.occurredAt()))
			.append("modelVersion", alert.modelVersion());
	}

}
