package dev.trustledger.infra;

import java.nio.file.Path;

/**
 * The embedded default: one PostgreSQL server (the event store), one Kafka broker and one
 * MongoDB-wire server (the projections), all keeping their data under one directory. Stop
 * the services that use them before closing this.
 */
public final class EmbeddedInfrastructure implements AutoCloseable {

	/** Where, in the data directory, the database password is kept. */
	public static final String POSTGRES_PASSWORD_FILE = "postgres-password";

	private final Settings settings;

	private volatile EmbeddedPostgresServer postgres;

	private volatile EmbeddedMongoServer mongo;

	private volatile EmbeddedKafkaBroker kafka;

	public EmbeddedInfrastructure(Settings settings) {
		this.settings = settings;
		this.postgres = newPostgres();
		this.mongo = newMongo();
		this.kafka = newKafka();
	}

	private EmbeddedPostgresServer newPostgres() {
		return new EmbeddedPostgresServer(this.settings.dataDir().resolve("postgres"),
				this.settings.dataDir().resolve(POSTGRES_PASSWORD_FILE),
				this.settings.dataDir().resolve("logs").resolve("postgres.log"), this.settings.postgresPort());
	}

	private EmbeddedMongoServer newMongo() {
		return new EmbeddedMongoServer(this.settings.dataDir().resolve("mongo").resolve("trustledger.mv"),
				this.settings.mongoPort());
	}

	private EmbeddedKafkaBroker newKafka() {
		return new EmbeddedKafkaBroker(this.settings.dataDir().resolve("kafka"), this.settings.kafkaPort(),
				this.settings.kafkaControllerPort());
	}

	/**
	 * Stops the broker, waits, and starts it again on the same port and data: what a
	 * restart of a real broker looks like to its clients. For fault-injection tests.
	 */
	public void restartKafka(java.time.Duration away) {
		this.kafka.close();
		sleep(away);
		this.kafka = newKafka();
		this.kafka.start();
	}

	/** The same for the MongoDB-wire server. */
	public void restartMongo(java.time.Duration away) {
		restartMongo(() -> sleep(away));
	}

	/**
	 * Stops the MongoDB-wire server, runs {@code whileAway}, and starts it again on the
	 * same port, even if {@code whileAway} failed: for a test that must see something
	 * happen during the outage, however long that takes on a slow machine.
	 */
	public void restartMongo(Runnable whileAway) {
		this.mongo.close();
		try {
			whileAway.run();
		}
		catch (RuntimeException | Error ex) {
			try {
				startMongo();
			}
			catch (RuntimeException notStarted) {
				ex.addSuppressed(notStarted);
			}
			throw ex;
		}
		startMongo();
	}

	private void startMongo() {
		this.mongo = newMongo();
		this.mongo.start();
	}

	/** The same for PostgreSQL. */
	public void restartPostgres(java.time.Duration away) {
		this.postgres.close();
		sleep(away);
		this.postgres = newPostgres();
		this.postgres.start();
	}

	private static void sleep(java.time.Duration away) {
		try {
			Thread.sleep(away.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Starts the three servers, quickest first, or none. */
	public EmbeddedInfrastructure start() {
		this.mongo.start();
		try {
			this.postgres.start();
			this.kafka.start();
		}
		catch (RuntimeException ex) {
			this.postgres.close();
			this.mongo.close();
			throw ex;
		}
		return this;
	}

	/** The event store's JDBC URL (user {@link EmbeddedPostgresServer#USER}). */
	public String postgresJdbcUrl() {
		return this.postgres.jdbcUrl();
	}

	/**
	 * The password of the event store's user, kept in {@link #POSTGRES_PASSWORD_FILE}.
	 */
	public String postgresPassword() {
		return this.postgres.password();
	}

	/** What the command service's tables hold, read straight from the database. */
	public StoredEvents storedEvents() {
		return new StoredEvents(postgresJdbcUrl(), this.postgres.password());
	}

	/**
	 * The Spring arguments that point a command service in this JVM at this event store.
	 */
	public java.util.List<String> eventStoreSpringArgs() {
		return java.util.List.of("--spring.datasource.url=" + postgresJdbcUrl(),
				"--spring.datasource.username=" + EmbeddedPostgresServer.USER,
				"--spring.datasource.password=" + this.postgres.password());
	}

	/**
	 * The same settings as environment variables, for a command service in a process of
	 * its own: unlike arguments, a process's environment is not shown to other users.
	 */
	public java.util.Map<String, String> eventStoreEnvironment() {
		return java.util.Map.of("SPRING_DATASOURCE_URL", postgresJdbcUrl(), "SPRING_DATASOURCE_USERNAME",
				EmbeddedPostgresServer.USER, "SPRING_DATASOURCE_PASSWORD", this.postgres.password());
	}

	public String kafkaBootstrapServers() {
		return this.kafka.bootstrapServers();
	}

	public String mongoConnectionString() {
		return this.mongo.connectionString();
	}

	@Override
	public void close() {
		this.kafka.close();
		this.mongo.close();
		this.postgres.close();
	}

	/**
	 * Where the data lives and which ports to listen on.
	 */
	public record Settings(Path dataDir, int kafkaPort, int kafkaControllerPort, int mongoPort, int postgresPort) {

		public static final int DEFAULT_KAFKA_PORT = 9092;

		public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;

		public static final int DEFAULT_MONGO_PORT = 27017;

		public static final int DEFAULT_POSTGRES_PORT = 5432;

		public static Settings defaults(Path dataDir) {
			return new Settings(dataDir, DEFAULT_KAFKA_PORT, DEFAULT_KAFKA_CONTROLLER_PORT, DEFAULT_MONGO_PORT,
					DEFAULT_POSTGRES_PORT);
		}

		/** Free ports on the loopback interface, for tests. */
		public static Settings onFreePorts(Path dataDir) {
			int[] ports = Ports.freePorts(4);
			return new Settings(dataDir, ports[0], ports[1], ports[2], ports[3]);
		}

	}

}
