package dev.trustledger.infra;

import java.nio.file.Path;

/**
 * The embedded default: one Kafka broker and one MongoDB-wire server, both keeping their
 * data under one directory. Stop the services that use them before closing this.
 */
public final class EmbeddedInfrastructure implements AutoCloseable {

	private final EmbeddedMongoServer mongo;

	private final EmbeddedKafkaBroker kafka;

	public EmbeddedInfrastructure(Settings settings) {
		this.mongo = new EmbeddedMongoServer(settings.dataDir().resolve("mongo").resolve("trustledger.mv"),
				settings.mongoPort());
		this.kafka = new EmbeddedKafkaBroker(settings.dataDir().resolve("kafka"), settings.kafkaPort(),
				settings.kafkaControllerPort());
	}

	/** Starts both servers, Mongo first (it is quicker), or neither. */
	public EmbeddedInfrastructure start() {
		this.mongo.start();
		try {
			this.kafka.start();
		}
		catch (RuntimeException ex) {
			this.mongo.close();
			throw ex;
		}
		return this;
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
	}

	/**
	 * Where the data lives and which ports to listen on.
	 */
	public record Settings(Path dataDir, int kafkaPort, int kafkaControllerPort, int mongoPort) {

		public static final int DEFAULT_KAFKA_PORT = 9092;

		public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;

		public static final int DEFAULT_MONGO_PORT = 27017;

		public static Settings defaults(Path dataDir) {
			return new Settings(dataDir, DEFAULT_KAFKA_PORT, DEFAULT_KAFKA_CONTROLLER_PORT, DEFAULT_MONGO_PORT);
		}

		/** Free ports on the loopback interface, for tests. */
		public static Settings onFreePorts(Path dataDir) {
			int[] ports = Ports.freePorts(3);
			return new Settings(dataDir, ports[0], ports[1], ports[2]);
		}

	}

}
