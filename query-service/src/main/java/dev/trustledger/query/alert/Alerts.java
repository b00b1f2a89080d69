package dev.trustledger.query.alert;

import java.net.URI;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.trustledger.events.EventEnvelope;
import dev.trustledger.events.alert.TrustAlertRaised;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.projection.EngagementDocuments;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.support.tracing.TraceContexts;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.Document;

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

	/**
	 * Each engagement's alerts on one document under its id, so that reading them does
	 * not scan every alert: {@code alerts.<kind>-<sequence>}.
	 */
	public static final String BY_ENGAGEMENT = "engagement_alerts";

	static final String TYPE = "trustledger.alert.TrustAlertRaised.v1";

	/**
	 * On an alert the passing of time raised, whether the broker has it; absent on the
	 * alerts events raise, which are published again on redelivery instead.
	 */
	private static final String PUBLISHED = "published";

	/** Until when an instance publishing an alert the passing of time raised holds it. */
	private static final String CLAIMED_UNTIL = "claimedUntil";

	/** Longer than a publication may take (the producer's delivery timeout, 30 s). */
	private static final java.time.Duration CLAIM = java.time.Duration.ofMinutes(2);

	private final KafkaTemplate<String, CloudEvent> kafka;

	private final ObjectMapper objectMapper;

	private final String topic;

	private final TraceContexts traces;

	Alerts(KafkaTemplate<String, CloudEvent> kafka, ObjectMapper objectMapper,
			@Value("${trustledger.kafka.alerts:trustledger.alerts}") String topic, TraceContexts traces) {
		this.kafka = kafka;
		this.objectMapper = objectMapper;
		this.topic = topic;
		this.traces = traces;
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

	/**
	 * Keeps an alert the passing of time raised and publishes it unless it was published
	 * already. The alert is kept marked unpublished first; an instance claims it for a
	 * while before it publishes (so that two instances sweeping together do not both
	 * publish), then marks it published once the broker has it. A crash in between leaves
	 * the claim to expire: the next sweep publishes it again under the same id (once in
	 * effect).
	 * @param filedUnder when the event it names occurred: it is kept among the
	 * engagement's alerts of that month (one its history has)
	 * @param inUse {@code null} to publish what is due; for a generation being rebuilt,
	 * the generation in use: an alert it published is kept as published, any other is
	 * left for the sweep that follows the switch to publish
	 * @return whether it was published now
	 */
	boolean raiseOnce(Generation generation, TrustAlertRaised alert, java.time.Instant filedUnder, Generation inUse,
			java.time.Instant now) {
		Document document = document(alert);
		boolean published = (inUse != null) && publishedIn(inUse, alert.alertId());
		try {
			generation.collection(COLLECTION).insertOne(new Document(document).append(PUBLISHED, published));
		}
		catch (MongoWriteException ex) {
			if (ex.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw ex;
			}
		}
		keepByEngagement(generation, key(alert), document,
				EngagementDocuments.bucket(alert.engagementId(), EngagementDocuments.month(filedUnder)));
		if (inUse != null) {
			return false;
		}
		// _id at the top level: the one document is read (IndexedH2Backend)
		Document claimed = generation.collection(COLLECTION)
			.findOneAndUpdate(
					new Document("_id", alert.alertId()).append(PUBLISHED, false)
						.append("$or",
								List.of(new Document(CLAIMED_UNTIL, null),
										new Document(CLAIMED_UNTIL, new Document("$lt", Date.from(now))))),
					Updates.set(CLAIMED_UNTIL, Date.from(now.plus(CLAIM))));
		if (claimed == null) {
			return false;
		}
		publish(alert);
		generation.collection(COLLECTION)
			.updateOne(Filters.eq("_id", alert.alertId()),
					Updates.combine(Updates.set(PUBLISHED, true), Updates.unset(CLAIMED_UNTIL)));
		return true;
	}

	private static boolean publishedIn(Generation generation, String alertId) {
		Document kept = generation.collection(COLLECTION).find(Filters.eq("_id", alertId)).first();
		return kept != null && Boolean.TRUE.equals(kept.get(PUBLISHED));
	}

	/** The most recent alerts first, of every engagement. */
	List<Document> list(Generation generation, int limit) {
		List<Document> list = new ArrayList<>();
		generation.collection(COLLECTION).find().sort(Sorts.descending("occurredAt")).limit(limit).forEach(list::add);
		return list;
	}

	/**
	 * One engagement's alerts, the most recent first: its monthly alert documents for the
	 * months its history has, in one query by their ids.
	 */
	List<Document> list(Generation generation, String engagementId, Collection<String> months, int limit) {
		List<Document> list = new ArrayList<>();
		forEach(generation, engagementId, months, (key, alert) -> list.add(alert));
		list.sort(Comparator.comparing((Document alert) -> alert.getDate("occurredAt"))
			.thenComparing((alert) -> alert.getString("alertId"))
			.reversed());
		return list.subList(0, Math.min(limit, list.size()));
	}

	/**
	 * The sequence numbers of the events that raised the engagement's alerts: the points
	 * a reduced timeline keeps.
	 */
	public Set<Long> raisedAt(Generation generation, String engagementId, Collection<String> months) {
		Set<Long> sequences = new HashSet<>();
		forEach(generation, engagementId, months, (key, alert) -> sequences.add(sequenceOf(key)));
		return sequences;
	}

	private static void forEach(Generation generation, String engagementId, Collection<String> months,
			BiConsumer<String, Document> action) {
		if (months.isEmpty()) {
			return;
		}
		List<String> ids = months.stream().map((month) -> EngagementDocuments.bucket(engagementId, month)).toList();
		generation.collection(BY_ENGAGEMENT)
			.find(Filters.in("_id", ids))
			.forEach((bucket) -> bucket.get("alerts", Document.class)
				.forEach((key, alert) -> action.accept(key, (Document) alert)));
	}

	/** Where an alert is kept on its engagement's document: its kind and sequence. */
	public static String key(TrustAlertRaised alert) {
		return key(alert.kind(), alert.alertId());
	}

	private static String key(String kind, String alertId) {
		return kind + "-" + alertId.substring(alertId.lastIndexOf(':') + 1);
	}

	private static long sequenceOf(String key) {
		return Long.parseLong(key.substring(key.lastIndexOf('-') + 1));
	}

	/** The month an alert is kept under on its engagement: when it occurred, UTC. */
	private static String bucket(String engagementId, Date occurredAt) {
		return EngagementDocuments.bucket(engagementId, EngagementDocuments.month(occurredAt.toInstant()));
	}

	/**
	 * An engagement's monthly documents of alerts, as a rebuild writes them.
	 * @param alerts the engagement's alerts by {@link #key}, as {@link #document} made
	 * them
	 */
	public static List<Document> byEngagement(String engagementId, Map<String, Document> alerts) {
		Map<String, Document> buckets = new LinkedHashMap<>();
		alerts.forEach((key, alert) -> buckets
			.computeIfAbsent(bucket(engagementId, alert.getDate("occurredAt")),
					(id) -> new Document("_id", id).append("alerts", new Document()))
			.get("alerts", Document.class)
			.put(key, alert));
		return new ArrayList<>(buckets.values());
	}

	private void keep(Generation generation, TrustAlertRaised alert) {
		Document document = document(alert);
		try {
			generation.collection(COLLECTION).insertOne(document);
		}
		catch (MongoWriteException ex) {
			if (ex.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw ex;
			}
		}
		keepByEngagement(generation, key(alert), document);
	}

	/**
	 * Keeps an alert on its engagement's document of the month unless one of the same
	 * kind and sequence is there: the first one kept stays, as in the alerts collection
	 * and in a rebuild.
	 */
	private static void keepByEngagement(Generation generation, String key, Document alert) {
		keepByEngagement(generation, key, alert, bucket(alert.getString("engagementId"), alert.getDate("occurredAt")));
	}

	private static void keepByEngagement(Generation generation, String key, Document alert, String bucket) {
		String path = "alerts." + key;
		try {
			generation.collection(BY_ENGAGEMENT)
				.updateOne(new Document("_id", bucket).append(path, new Document("$exists", false)),
						Updates.set(path, alert), new UpdateOptions().upsert(true));
		}
		catch (MongoWriteException ex) {
			if (ex.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw ex;
			}
		}
	}

	/**
	 * Gives a generation projected before alerts were kept by engagement what it lacks:
	 * each engagement's monthly alert documents, and on each engagement document the
	 * latest alert of each kind. Done once, from the alerts collection, before anything
	 * is projected into it.
	 * @return how many alerts were moved
	 */
	public static long keepByEngagement(Generation generation) {
		long moved = 0;
		Map<String, Document> latest = new LinkedHashMap<>();
		for (Document alert : generation.collection(COLLECTION).find().sort(Sorts.ascending("occurredAt"))) {
			String kind = alert.getString("kind");
			keepByEngagement(generation, key(kind, alert.getString("alertId")), alert);
			latest.put(alert.getString("engagementId") + "\n" + kind, alert);
			moved++;
		}
		latest.forEach((engagementAndKind, alert) -> generation.collection(EngagementProjection.COLLECTION)
			.updateOne(Filters.eq("_id", alert.getString("engagementId")),
					Updates.set("latestAlerts." + alert.getString("kind"), alert)));
		return moved;
	}

	void publish(TrustAlertRaised alert) {
		CloudEventBuilder builder = CloudEventBuilder.v1()
			.withId(alert.alertId())
			.withType(TYPE)
			.withSource(URI.create(EventEnvelope.SOURCE_PREFIX + alert.engagementId()))
			.withSubject(alert.engagementId())
			.withTime(alert.occurredAt().atOffset(ZoneOffset.UTC))
			.withDataContentType("application/json")
			.withData(json(alert).getBytes(java.nio.charset.StandardCharsets.UTF_8))
			.withExtension(EventEnvelope.OCCURRED_AT, alert.occurredAt().atOffset(ZoneOffset.UTC))
			.withExtension(EventEnvelope.RECORDED_BY, "query-service");
		// the trace of the event that raised it: its webhook deliveries continue it
		this.traces.current().forEach(builder::withExtension);
		CloudEvent event = builder.build();
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
