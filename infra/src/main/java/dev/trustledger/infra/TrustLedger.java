package dev.trustledger.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one command: starts the embedded infrastructure and both services, waits until each
 * is healthy, loads the demo once and stops everything in order on Ctrl-C.
 */
public final class TrustLedger {

	static {
		if (System.getProperty("logback.configurationFile") == null) {
			System.setProperty("logback.configurationFile", "trustledger-infra-logback.xml");
		}
	}

	private static final Logger log = LoggerFactory.getLogger(TrustLedger.class);

	private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(120);

	private TrustLedger() {
	}

	public static void main(String[] args) {
		if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
			System.out.print(LaunchOptions.USAGE);
			return;
		}
		LaunchOptions options;
		try {
			options = LaunchOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.print(LaunchOptions.USAGE);
			System.exit(2);
			return;
		}
		try {
			run(options);
		}
		catch (PortUnavailableException ex) {
			log.error(ex.getMessage());
			System.exit(3);
		}
		catch (RuntimeException ex) {
			log.error("Trust Ledger could not start: {}", ex.getMessage());
			System.exit(1);
		}
	}

	private static void run(LaunchOptions options) {
		long buildDone = buildDoneMillis();
		EmbeddedInfrastructure infra = new EmbeddedInfrastructure(options.infraSettings()).start();
		List<ServiceProcess> services = new ArrayList<>();
		CountDownLatch stopped = new CountDownLatch(1);
		java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
		Runnable stopInOrder = () -> {
			if (stopping.getAndSet(true)) {
				// a second signal, or the JVM's own hooks after it: wait for the stop
				// under way
				awaitQuietly(stopped);
				return;
			}
			log.info("Stopping Trust Ledger...");
			// Services first, so nobody keeps reconnecting to a broker or a database that
			// is gone; then Kafka, MongoDB and PostgreSQL.
			for (int i = services.size() - 1; i >= 0; i--) {
				services.get(i).stop(Duration.ofSeconds(30));
			}
			infra.close();
			log.info("Stopped.");
			stopped.countDown();
		};
		Runtime.getRuntime().addShutdownHook(new Thread(stopInOrder, "trustledger-shutdown"));
		// Shutdown hooks run side by side, and the PostgreSQL library registers one of
		// its own that stops the server at once: Ctrl-C and kill stop everything in
		// order here, before the JVM starts its hooks.
		for (String signal : List.of("INT", "TERM")) {
			sun.misc.Signal.handle(new sun.misc.Signal(signal), (caught) -> {
				Thread stopper = new Thread(() -> {
					stopInOrder.run();
					System.exit(0);
				}, "trustledger-stop");
				stopper.start();
			});
		}
		if (options.command().equals("up")) {
			startServices(options, infra, services);
			log.info("All healthy {} s after build done.",
					String.format(java.util.Locale.ROOT, "%.1f", (System.currentTimeMillis() - buildDone) / 1000.0));
			if (options.demo()) {
				DemoUsers users = DemoUsers.in(options.dataDir());
				new DemoLoader(options.home().resolve("seeds"), options.dataDir(), users.withRole("ACCOUNT_TEAM"),
						users.withRole("ADMIN"), options.portfolioSize(), java.time.Clock.systemUTC())
					.loadOnce(services.get(0).baseUri());
			}
			printWelcome(options, infra, services);
		}
		else {
			log.info("Infrastructure up: PostgreSQL {}, Kafka {} and {}. Ctrl-C stops it.", infra.postgresJdbcUrl(),
					infra.kafkaBootstrapServers(), infra.mongoConnectionString());
		}
		awaitQuietly(stopped);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** When the ./trustledger script finished building; else when this JVM started. */
	private static long buildDoneMillis() {
		String fromScript = System.getenv("TRUSTLEDGER_BUILD_DONE_MS");
		if (fromScript != null && fromScript.matches("\\d+")) {
			return Long.parseLong(fromScript);
		}
		return java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
	}

	private static void startServices(LaunchOptions options, EmbeddedInfrastructure infra,
			List<ServiceProcess> services) {
		List<String> common = new ArrayList<>(
				List.of("--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers()));
		common.addAll(DemoUsers.in(options.dataDir()).springArgs());
		Path logs = options.dataDir().resolve("logs");
		services.add(ServiceProcess.start("command-service", jar(options, "command-service"), options.commandPort(),
				common, infra.eventStoreEnvironment(), logs.resolve("command-service.log")));
		services
			.add(ServiceProcess.start(
					"query-service", jar(options, "query-service"), options.queryPort(), with(
							with(common,
									"--spring.data.mongodb.uri=" + infra.mongoConnectionString()
											+ "/trustledger-query"),
							"--trustledger.dashboard.command-service-url=http://127.0.0.1:" + options.commandPort(),
							// everything runs on this machine: a webhook receiver there
							// is
							// a local one, and the alerts' links point at this dashboard
							"--trustledger.webhooks.allow-private-targets=true",
							"--trustledger.webhooks.dashboard-url=http://localhost:" + options.queryPort()),
					logs.resolve("query-service.log")));
		ExecutorService waiters = Executors.newFixedThreadPool(services.size());
		try {
			List<Future<?>> waits = services.stream()
				.map((service) -> waiters.submit(() -> awaitHealthy(service)))
				.collect(java.util.stream.Collectors.toList());
			for (Future<?> wait : waits) {
				wait.get();
			}
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting the services", ex);
		}
		finally {
			waiters.shutdown();
		}
	}

	private static void awaitHealthy(ServiceProcess service) {
		service.awaitHealthy(HEALTH_TIMEOUT);
		log.info("{} healthy on {} (log: {})", service.name(), service.baseUri(), service.logFile());
	}

	private static Path jar(LaunchOptions options, String module) {
		return options.home().resolve(module).resolve("target").resolve(module + "-exec.jar");
	}

	private static List<String> with(List<String> list, String... extra) {
		List<String> result = new ArrayList<>(list);
		result.addAll(List.of(extra));
		return result;
	}

	private static String userLines(DemoUsers users) {
		StringBuilder lines = new StringBuilder();
		for (DemoUsers.User user : users.users()) {
			lines.append(String.format("    %-6s %-20s %s%n", user.name(), user.password(), user.role()));
		}
		return lines.toString().stripTrailing();
	}

	private static void printWelcome(LaunchOptions options, EmbeddedInfrastructure infra,
			List<ServiceProcess> services) {
		DemoUsers users = DemoUsers.in(options.dataDir());
		String text = """

				Trust Ledger is up. Ctrl-C stops everything.
				  dashboard     %s/   (sign in with a demo user below)
				  command API   %s/api/engagements
				  query API     %s/api/engagements/{id}
				  health        %s/actuator/health  %s/actuator/health
				  PostgreSQL    %s   (the event store, user postgres, password in %s)
				  Kafka         %s   (topic trustledger.engagement-events)
				  MongoDB       %s   (the projections)
				  data          %s
				  demo users    (dashboard and HTTP Basic; passwords kept in %s)
				%s
				  try           curl -s -u %s %s/api/engagements/%s
				""".formatted(services.get(1).baseUri(), services.get(0).baseUri(), services.get(1).baseUri(),
				services.get(0).baseUri(), services.get(1).baseUri(), infra.postgresJdbcUrl(),
				options.dataDir().resolve(EmbeddedInfrastructure.POSTGRES_PASSWORD_FILE), infra.kafkaBootstrapServers(),
				infra.mongoConnectionString(), options.dataDir(), options.dataDir().resolve(DemoUsers.FILE),
				userLines(users),
				users.withRole("DELIVERY_LEAD").name() + ":" + users.withRole("DELIVERY_LEAD").password(),
				services.get(1).baseUri(), DemoLoader.SHOWCASE_ENGAGEMENT);
		System.out.println(text);
	}

}
