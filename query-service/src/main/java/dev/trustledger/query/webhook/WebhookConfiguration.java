package dev.trustledger.query.webhook;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.projection.CloudEventReader;
import dev.trustledger.query.projection.StoreAway;
import dev.trustledger.support.metrics.SampledGauges;
import dev.trustledger.support.tracing.TraceContexts;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.autoconfigure.mongo.MongoProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.kafka.support.serializer.DeserializationException;

/**
 * Alert webhooks: the subscriptions and deliveries in the query service's own database
 * (not a generation's: a rebuild keeps them), the listener on the alerts topic with its
 * own consumer group and error handling, and the dispatcher that sends.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
class WebhookConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(WebhookConfiguration.class);

	@Bean
	WebhookStore webhookStore(MongoClient client, MongoProperties properties) {
		MongoDatabase database = client.getDatabase(properties.getMongoClientDatabase());
		SecureRandom random = new SecureRandom();
		Deliveries deliveries = new Deliveries(database);
		try {
			deliveries.ensureIndexes();
			database.getCollection(Subscription.COLLECTION)
				.createIndex(Indexes.ascending("owner"), new IndexOptions().name("owner"));
		}
		catch (MongoException ex) {
			// the embedded server declines secondary indexes; a real MongoDB builds them
			logger.debug("Webhook indexes not created: {}", ex.getMessage());
		}
		return new WebhookStore(new Subscriptions(database, random), deliveries);
	}

	/** The two stores, one bean: they are package-private and used together. */
	record WebhookStore(Subscriptions subscriptions, Deliveries deliveries) {
	}

	@Bean
	Targets webhookTargets(WebhookProperties properties) {
		return new Targets(properties.allowPrivateTargets());
	}

	@Bean
	Sender webhookSender(WebhookProperties properties, Targets targets, Clock clock, TraceContexts traces) {
		return new Sender(properties.connectTimeout(), properties.requestTimeout(), targets, clock, traces);
	}

	@Bean
	Payloads webhookPayloads(ObjectMapper objectMapper, WebhookProperties properties) {
		return new Payloads(objectMapper, properties.dashboardUrl());
	}

	@Bean
	Dispatcher webhookDispatcher(WebhookStore store, Sender sender, WebhookProperties properties, Clock clock,
			MeterRegistry registry, SampledGauges gauges, TraceContexts traces) {
		return new Dispatcher(store.subscriptions(), store.deliveries(), sender, properties, clock, registry, gauges,
				traces);
	}

	@Bean
	AlertListener webhookAlertListener(CloudEventReader reader, ObjectMapper objectMapper, WebhookStore store,
			Payloads payloads, Generations generations, Dispatcher dispatcher, Clock clock) {
		return new AlertListener(reader, objectMapper, store.subscriptions(), store.deliveries(), payloads, generations,
				dispatcher, clock);
	}

	/**
	 * The listener's container: the service's consumer settings, its own group, and its
	 * own error handling (the projection's parks records, which is not what an alert
	 * needs). An alert that cannot be read is logged and passed over at once; the store
	 * being away is waited out, holding the partition; anything else is tried ten times
	 * over about four minutes and then logged (ERROR) and passed over, so that no record
	 * stops the deliveries of the others: the subscriptions it was not queued for miss
	 * it. The handler is not a bean: the projection's container takes the one handler
	 * bean there is.
	 */
	/** 1 s doubling to 30 s, ten times: about four minutes. */
	private static ExponentialBackOffWithMaxRetries bounded() {
		ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(10);
		backOff.setInitialInterval(1000);
		backOff.setMultiplier(2.0);
		backOff.setMaxInterval(30_000);
		return backOff;
	}

	@Bean
	ConcurrentKafkaListenerContainerFactory<String, byte[]> webhookListenerFactory(KafkaProperties kafka) {
		Map<String, Object> consumer = kafka.buildConsumerProperties(null);
		consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "trustledger-webhooks");
		ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
		factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(consumer));
		DefaultErrorHandler handler = new DefaultErrorHandler((record, ex) -> logger.error(
				"Alert at {}-{}@{} not queued for webhooks: {}", record.topic(), record.partition(), record.offset(),
				(ex.getCause() != null) ? ex.getCause().toString() : ex.toString()), bounded());
		handler.setBackOffFunction((record, ex) -> StoreAway.causes(ex) ? StoreAway.unbounded() : null);
		handler.addNotRetryableExceptions(DeserializationException.class, AlertListener.UnreadableAlertException.class,
				dev.trustledger.query.projection.UnreadableEventException.class);
		factory.setCommonErrorHandler(handler);
		return factory;
	}

}
