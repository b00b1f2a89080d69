package dev.trustledger.query.engagement;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.EngagementEventTypes;
import dev.trustledger.events.EventEnvelope;
import dev.trustledger.events.Party;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.partnership.ProblemStatementAgreed;
import dev.trustledger.events.partnership.StoodByPartner;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.events.promise.PromiseKept;
import dev.trustledger.events.promise.PromiseMade;
import dev.trustledger.events.responsibility.BlameDeflected;
import dev.trustledger.events.responsibility.ClientSharedBlame;
import dev.trustledger.events.responsibility.ResponsibilityTaken;
import dev.trustledger.events.sponsor.SponsorGained;
import dev.trustledger.events.sponsor.SponsorLost;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * A seeded random history of many engagements, written the way the command service
 * publishes it (docs/events.md) and interleaved across engagements the way they arrive in
 * production: roughly one event a day per engagement, about one in twenty recorded late
 * (backdated up to three weeks), and about one record in fifty delivered twice.
 */
final class RandomHistory {

	static final Instant START = Instant.parse("2025-01-06T09:00:00Z");

	private static final ObjectMapper json = JsonMapper.builder()
		.findAndAddModules()
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
		.build();

	private final Random random;

	private final int engagements;

	private final int eventsPerEngagement;

	/** How many records were sent, redeliveries included, and how many were distinct. */
	long records;

	long distinct;

	long backdated;

	RandomHistory(long seed, int engagements, int eventsPerEngagement) {
		this.random = new Random(seed);
		this.engagements = engagements;
		this.eventsPerEngagement = eventsPerEngagement;
	}

	/** Hands every record, key and value, to {@code send}, in arrival order. */
	void emit(BiConsumer<String, CloudEvent> send) {
		List<Engagement> all = new ArrayList<>();
		for (int i = 0; i < this.engagements; i++) {
			all.add(new Engagement(String.format("eng-%05d", i),
					START.plus(Duration.ofHours(this.random.nextInt(24 * 60)))));
		}
		for (int round = 0; round < this.eventsPerEngagement; round++) {
			java.util.Collections.shuffle(all, this.random);
			List<CloudEvent> redeliveries = new ArrayList<>();
			for (Engagement engagement : all) {
				CloudEvent event = engagement.next();
				send.accept(engagement.id, event);
				this.records++;
				this.distinct++;
				if (this.random.nextInt(50) == 0) {
					redeliveries.add(event);
				}
			}
			for (CloudEvent event : redeliveries) {
				send.accept(event.getSubject(), event);
				this.records++;
			}
		}
	}

	private final class Engagement {

		final String id;

		Instant latest;

		long sequence;

		boolean sponsored = true;

		final List<String> openPromises = new ArrayList<>();

		Engagement(String id, Instant opened) {
			this.id = id;
			this.latest = opened;
		}

		CloudEvent next() {
			Random random = RandomHistory.this.random;
			Instant at;
			if (this.sequence > 3 && random.nextInt(20) == 0) {
				at = this.latest.minus(Duration.ofHours(1 + random.nextInt(21 * 24)));
				RandomHistory.this.backdated++;
			}
			else {
				at = this.latest.plus(Duration.ofHours(6 + random.nextInt(36)));
				this.latest = at;
			}
			String incident = this.id + "-i" + this.sequence;
			int severity = 1 + random.nextInt(5);
			Party party = random.nextBoolean() ? Party.VENDOR : Party.CLIENT;
			EngagementEvent event;
			if (this.sequence == 0) {
				event = new EngagementOpened(this.id, "Client " + this.id, "team-" + random.nextInt(8),
						"lead-" + random.nextInt(5), "Sponsor of " + this.id, at, "generator");
			}
			else {
				int pick = random.nextInt(10);
				if (pick <= 2) {
					String promise = incident + "-p";
					this.openPromises.add(promise);
					event = new PromiseMade(this.id, incident, promise, party, severity, "a promise",
							at.plus(Duration.ofDays(14)), at, "generator");
				}
				else if (pick <= 4 && !this.openPromises.isEmpty()) {
					String promise = this.openPromises.remove(random.nextInt(this.openPromises.size()));
					event = random.nextInt(3) > 0
							? new PromiseKept(this.id, incident, promise, party, severity, "kept", at, "generator")
							: new PromiseBroken(this.id, incident, promise, party, severity, "missed", at, "generator");
				}
				else if (pick == 5) {
					event = new ResponsibilityTaken(this.id, incident, party, null, severity, "ours", at, "generator");
				}
				else if (pick == 6) {
					event = random.nextBoolean()
							? new BlameDeflected(this.id, incident, party, null, severity, "not us", at, "generator")
							: new ClientSharedBlame(this.id, incident, null, severity, "both of us", at, "generator");
				}
				else if (pick == 7) {
					event = new StoodByPartner(this.id, incident, party, severity, "stood by", at, "generator");
				}
				else if (pick == 8) {
					event = new ProblemStatementAgreed(this.id, incident, null, severity, "agreed", at, "generator");
				}
				else if (this.sponsored) {
					this.sponsored = false;
					event = new SponsorLost(this.id, incident, "Sponsor of " + this.id, severity, "moved on", at,
							"generator");
				}
				else {
					this.sponsored = true;
					event = new SponsorGained(this.id, incident, "New sponsor of " + this.id, "welcome", at,
							"generator");
				}
			}
			CloudEvent envelope = envelope(this.id + "-e" + this.sequence, this.sequence, event,
					this.latest.plus(Duration.ofMinutes(5)));
			this.sequence++;
			return envelope;
		}

	}

	/**
	 * A producer's settings for writing records as the command service does: structured
	 * CloudEvents JSON, keyed by engagement.
	 */
	static java.util.Properties producerProperties(String bootstrapServers) {
		java.util.Properties props = new java.util.Properties();
		props.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		props.put(org.apache.kafka.clients.producer.ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				org.apache.kafka.common.serialization.StringSerializer.class);
		props.put(org.apache.kafka.clients.producer.ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
				io.cloudevents.kafka.CloudEventSerializer.class);
		props.put(io.cloudevents.kafka.CloudEventSerializer.ENCODING_CONFIG, "STRUCTURED");
		props.put(io.cloudevents.kafka.CloudEventSerializer.EVENT_FORMAT_CONFIG, "application/cloudevents+json");
		return props;
	}

	static CloudEvent envelope(String eventId, long sequence, EngagementEvent event, Instant recordedAt) {
		try {
			return CloudEventBuilder.v1()
				.withId(eventId)
				.withType(EngagementEventTypes.typeOf(event.getClass()))
				.withSource(URI.create(EventEnvelope.SOURCE_PREFIX + event.engagementId()))
				.withSubject(event.engagementId())
				.withTime(recordedAt.atOffset(ZoneOffset.UTC))
				.withDataContentType("application/json")
				.withData(json.writeValueAsBytes(event))
				.withExtension(EventEnvelope.SEQUENCE, sequence)
				.withExtension(EventEnvelope.OCCURRED_AT, event.occurredAt().atOffset(ZoneOffset.UTC))
				.withExtension(EventEnvelope.RECORDED_BY, "generator")
				.build();
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
