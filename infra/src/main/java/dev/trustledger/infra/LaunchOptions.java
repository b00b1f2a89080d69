package dev.trustledger.infra;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The launcher's options, given as {@code --name=value}. Unknown options are an error, so
 * a typo does not silently start on the default port.
 */
record LaunchOptions(String command, Path home, Path dataDir, int kafkaPort, int kafkaControllerPort, int mongoPort,
		int postgresPort, int commandPort, int queryPort, boolean demo, int portfolioSize) {

	private static final Set<String> KNOWN = Set.of("home", "data-dir", "kafka-port", "kafka-controller-port",
			"mongo-port", "postgres-port", "command-port", "query-port", "no-demo", "small-demo", "portfolio-size");

	/**
	 * The largest generated portfolio the launcher loads: about 86 events an engagement,
	 * held in memory and sent in one import.
	 */
	static final int MAX_PORTFOLIO = 2_000;

	static final String USAGE = """
			Usage: trustledger <up|infra> [options]
			  up      start PostgreSQL, Kafka, MongoDB, command-service and query-service, load the demo, wait for Ctrl-C
			  infra   start only PostgreSQL, Kafka and MongoDB, wait for Ctrl-C
			Options:
			  --data-dir=DIR                where PostgreSQL, Kafka and MongoDB keep their data (default ./.trustledger)
			  --kafka-port=N                Kafka listener (default 9092)
			  --kafka-controller-port=N     KRaft controller listener (default 9093)
			  --mongo-port=N                MongoDB listener (default 27017)
			  --postgres-port=N             PostgreSQL listener, the event store (default 5432)
			  --command-port=N              command-service HTTP port (default 8081)
			  --query-port=N                query-service HTTP port (default 8082)
			  --no-demo                     do not load the demo
			  --small-demo                  load only the eight hand-written stories, not the generated portfolio
			  --portfolio-size=N            engagements in the generated portfolio (default 300)
			  --home=DIR                    the project folder holding the service jars and seeds/ (default .)
			""";

	static LaunchOptions parse(String[] args) {
		if (args.length == 0 || !(args[0].equals("up") || args[0].equals("infra"))) {
			throw new IllegalArgumentException("Name a command: up or infra.");
		}
		Map<String, String> values = new HashMap<>();
		for (int i = 1; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("Unexpected argument '" + arg + "'.");
			}
			int eq = arg.indexOf('=');
			String name = (eq < 0) ? arg.substring(2) : arg.substring(2, eq);
			if (!KNOWN.contains(name)) {
				throw new IllegalArgumentException("Unknown option --" + name + ".");
			}
			values.put(name, (eq < 0) ? "true" : arg.substring(eq + 1));
		}
		Path home = Path.of(values.getOrDefault("home", ".")).toAbsolutePath().normalize();
		Path dataDir = Path.of(values.getOrDefault("data-dir", home.resolve(".trustledger").toString()))
			.toAbsolutePath()
			.normalize();
		return new LaunchOptions(args[0], home, dataDir,
				port(values, "kafka-port", EmbeddedInfrastructure.Settings.DEFAULT_KAFKA_PORT),
				port(values, "kafka-controller-port", EmbeddedInfrastructure.Settings.DEFAULT_KAFKA_CONTROLLER_PORT),
				port(values, "mongo-port", EmbeddedInfrastructure.Settings.DEFAULT_MONGO_PORT),
				port(values, "postgres-port", EmbeddedInfrastructure.Settings.DEFAULT_POSTGRES_PORT),
				port(values, "command-port", 8081), port(values, "query-port", 8082), !values.containsKey("no-demo"),
				values.containsKey("small-demo") ? 0 : portfolioSize(values.get("portfolio-size")));
	}

	private static int portfolioSize(String value) {
		if (value == null) {
			return GeneratedPortfolio.DEFAULT_SIZE;
		}
		try {
			int size = Integer.parseInt(value);
			if (size < 0 || size > MAX_PORTFOLIO) {
				throw new NumberFormatException();
			}
			return size;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(
					"--portfolio-size must be a whole number from 0 to " + MAX_PORTFOLIO + ", not '" + value + "'.");
		}
	}

	EmbeddedInfrastructure.Settings infraSettings() {
		return new EmbeddedInfrastructure.Settings(this.dataDir, this.kafkaPort, this.kafkaControllerPort,
				this.mongoPort, this.postgresPort);
	}

	private static int port(Map<String, String> values, String name, int defaultPort) {
		String value = values.get(name);
		if (value == null) {
			return defaultPort;
		}
		try {
			int port = Integer.parseInt(value);
			if (port < 1 || port > 65535) {
				throw new NumberFormatException();
			}
			return port;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(
					"--" + name + " takes a port number from 1 to 65535, not '" + value + "'.");
		}
	}

}
