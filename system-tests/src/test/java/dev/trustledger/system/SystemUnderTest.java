package dev.trustledger.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.infra.DemoUsers;
import dev.trustledger.infra.EmbeddedInfrastructure;
import dev.trustledger.infra.Ports;
import dev.trustledger.infra.ServiceProcess;
import dev.trustledger.infra.StoredEvents;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The whole system as it runs in production shape: the embedded PostgreSQL server, Kafka
 * broker and MongoDB-wire server started from this JVM on free ports (infra's own code),
 * and both services from their executable jars in JVMs of their own. Close stops the
 * services first.
 */
final class SystemUnderTest implements AutoCloseable {

	static final Duration STARTUP = Duration.ofSeconds(120);

	private static final ObjectMapper json = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final EmbeddedInfrastructure infra;

	private final Path logs;

	private final String name;

	private volatile ServiceProcess commandService;

	private int commandStarts;

	private List<String> serviceArgs = List.of();

	private int queryPort;

	private ServiceProcess queryService;

	private int queryStarts;

	private final DemoUsers users;

	private final List<ServiceProcess> extraServices = new ArrayList<>();

	SystemUnderTest(String name, Path dataDir) {
		this.name = name;
		this.logs = home().resolve("system-tests/target/service-logs");
		this.infra = new EmbeddedInfrastructure(EmbeddedInfrastructure.Settings.onFreePorts(dataDir)).start();
		this.users = DemoUsers.in(dataDir);
	}

	static Path home() {
		return Path.of(System.getProperty("trustledger.home", "..")).toAbsolutePath().normalize();
	}

	static Path jar(String module) {
		return home().resolve(module).resolve("target").resolve(module + "-exec.jar");
	}

	SystemUnderTest start() {
		startCommandService();
		startQueryService();
		this.commandService.awaitHealthy(STARTUP);
		this.queryService.awaitHealthy(STARTUP);
		return this;
	}

	/**
	 * Starts the command service, or starts it again after {@link ServiceProcess#kill()}
	 * on the same event store; requests go to the new one once it is healthy.
	 */
	void startCommandService() {
		this.commandStarts++;
		ServiceProcess started = ServiceProcess.start("command-service", jar("command-service"), Ports.freePorts(1)[0],
				springArgs(), this.infra.eventStoreEnvironment(),
				this.logs.resolve(this.name + "-command-service-" + this.commandStarts + ".log"));
		if (this.commandService != null) {
			started.awaitHealthy(STARTUP);
		}
		this.commandService = started;
	}

	/** Arguments both services start with, besides the usual ones. */
	SystemUnderTest withServiceArgs(List<String> args) {
		this.serviceArgs = List.copyOf(args);
		return this;
	}

	/** The port the query service listens on, when it has to be known beforehand. */
	SystemUnderTest queryPort(int port) {
		this.queryPort = port;
		return this;
	}

	/** The embedded servers, to restart them under load. */
	EmbeddedInfrastructure infra() {
		return this.infra;
	}

	void startQueryService() {
		this.queryStarts++;
		List<String> args = springArgs();
		args.add("--spring.data.mongodb.uri=" + this.infra.mongoConnectionString() + "/trustledger-query");
		// the tests' webhook receivers are on this machine
		args.add("--trustledger.webhooks.allow-private-targets=true");
		// alerts the passing of time raises follow the wall clock: off, so that what a
		// test sees does not depend on when a sweep ran (TrustLedgerUpIT runs them)
		args.add("--trustledger.alerts.sweep-interval=0");
		if (this.commandService != null) {
			args.add("--trustledger.dashboard.command-service-url=" + this.commandService.baseUri());
		}
		int port = (this.queryPort != 0) ? this.queryPort : Ports.freePorts(1)[0];
		this.queryService = ServiceProcess.start("query-service", jar("query-service"), port, args,
				this.logs.resolve(this.name + "-query-service-" + this.queryStarts + ".log"));
	}

	/**
	 * Another instance of the command service on the same event store, as a second node
	 * would be.
	 */
	ServiceProcess startAnotherCommandService(String name) {
		ServiceProcess another = ServiceProcess.start("command-service-" + name, jar("command-service"),
				Ports.freePorts(1)[0], springArgs(), this.infra.eventStoreEnvironment(),
				this.logs.resolve(this.name + "-command-service-" + name + ".log"));
		this.extraServices.add(another);
		another.awaitHealthy(STARTUP);
		return another;
	}

	String mongoConnectionString() {
		return this.infra.mongoConnectionString();
	}

	StoredEvents storedEvents() {
		return this.infra.storedEvents();
	}

	ServiceProcess commandService() {
		return this.commandService;
	}

	ServiceProcess queryService() {
		return this.queryService;
	}

	private List<String> springArgs() {
		List<String> args = new ArrayList<>(
				List.of("--spring.kafka.bootstrap-servers=" + this.infra.kafkaBootstrapServers()));
		args.addAll(this.users.springArgs());
		args.addAll(this.serviceArgs);
		return args;
	}

	DemoUsers.User user(String role) {
		return this.users.withRole(role);
	}

	/** Posts to the command service as the account-team user. */
	HttpResponse<String> post(String path, String body) {
		return post(path, body, user("ACCOUNT_TEAM"));
	}

	HttpResponse<String> post(String path, String body, DemoUsers.User user) {
		return post(this.commandService, path, body, user);
	}

	HttpResponse<String> post(ServiceProcess service, String path, String body, DemoUsers.User user) {
		HttpRequest.Builder request = HttpRequest.newBuilder(service.baseUri().resolve(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (user != null) {
			request.header("Authorization", user.basicAuthorization());
		}
		return send(request.build());
	}

	/** Posts a body of any content type. */
	HttpResponse<String> post(ServiceProcess service, String path, String contentType, String body,
			DemoUsers.User user) {
		return send(HttpRequest.newBuilder(service.baseUri().resolve(path))
			.header("Content-Type", contentType)
			.header("Authorization", user.basicAuthorization())
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	String kafkaBootstrapServers() {
		return this.infra.kafkaBootstrapServers();
	}

	/**
	 * A consumer of the engagement-events topic from its beginning, as the query service
	 * reads it: committed records only (the publisher writes in Kafka transactions).
	 */
	KafkaConsumer<String, byte[]> engagementEvents(String group) {
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				kafkaBootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
		consumer.subscribe(List.of("trustledger.engagement-events"));
		return consumer;
	}

	/** Reads from the query service as the delivery-lead user. */
	HttpResponse<String> query(String path) {
		return query(path, user("DELIVERY_LEAD"));
	}

	HttpResponse<String> query(String path, DemoUsers.User user) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.queryService.baseUri().resolve(path)).GET();
		if (user != null) {
			request.header("Authorization", user.basicAuthorization());
		}
		return send(request.build());
	}

	/** The engagement's projection, or {@code null} while there is none. */
	JsonNode engagement(String engagementId) {
		HttpResponse<String> response = query("/api/engagements/" + engagementId);
		return (response.statusCode() == 200) ? parse(response.body()) : null;
	}

	static JsonNode parse(String body) {
		try {
			return json.readTree(body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.extraServices.forEach((service) -> service.stop(Duration.ofSeconds(30)));
		if (this.queryService != null) {
			this.queryService.stop(Duration.ofSeconds(30));
		}
		if (this.commandService != null) {
			this.commandService.stop(Duration.ofSeconds(30));
		}
		this.infra.close();
	}

}
