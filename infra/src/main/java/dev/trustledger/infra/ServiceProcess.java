package dev.trustledger.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Trust Ledger service running as its own JVM from its executable jar, with its
 * output in a log file. It runs in a session of its own so that Ctrl-C in the terminal
 * reaches only the launcher, which then stops the services before the infrastructure.
 */
public final class ServiceProcess implements AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final Process process;

	private final Path logFile;

	private final int port;

	private ServiceProcess(String name, Process process, Path logFile, int port) {
		this.name = name;
		this.process = process;
		this.logFile = logFile;
		this.port = port;
	}

	/**
	 * A service's environment: this process's ({@code inherited}) with {@code extra}
	 * added, without {@code JDK_JAVA_OPTIONS}. The services' JVM options are the ones
	 * {@link #start} gives: options meant for the starting JVM (another collector, say)
	 * clash with them, and the service does not start ("Error occurred during
	 * initialization of VM").
	 */
	static void childEnvironment(java.util.Map<String, String> inherited, java.util.Map<String, String> extra) {
		inherited.remove("JDK_JAVA_OPTIONS");
		inherited.putAll(extra);
	}

	/**
	 * The services' JVM options: the serial collector, which suits a few hundred MB on
	 * two cores, unless {@code extra} names another; full tiered compilation unless
	 * {@code extra} says otherwise: the load drivers' services are there to carry load.
	 * {@code extra}, separated by spaces, is the system property
	 * {@code trustledger.service.jvm-options}: a GC log, a flight recording or another
	 * collector to measure in a load run, and {@code -XX:TieredStopAtLevel=1} in the
	 * system tests' failsafe configuration, whose services live a minute or two (C1 alone
	 * starts them sooner). The services' own start ({@code ./trustledger up}) never sets
	 * it.
	 */
	static List<String> jvmOptions(String extra) {
		List<String> given = extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
		List<String> options = new ArrayList<>();
		// two collectors stop the JVM at start ("multiple garbage collectors selected")
		if (given.stream()
			.noneMatch((option) -> option.matches("-XX:\\+Use(Serial|Parallel|G1|Z|Shenandoah|Epsilon)GC"))) {
			options.add("-XX:+UseSerialGC");
		}
		options.add("-Daxoniq.update-checker.disabled=true");
		options.addAll(given);
		return options;
	}

	/**
	 * Starts {@code java -jar jar} with Spring properties given as {@code --key=value}
	 * arguments; {@code server.port} is always set to {@code port}.
	 */
	public static ServiceProcess start(String name, Path jar, int port, List<String> springArgs, Path logFile) {
		return start(name, jar, port, springArgs, java.util.Map.of(), logFile);
	}

	/**
	 * As {@link #start(String, Path, int, List, Path)}, with extra environment variables
	 * (settings that must not show in the process list, such as a password).
	 */
	public static ServiceProcess start(String name, Path jar, int port, List<String> springArgs,
			java.util.Map<String, String> environment, Path logFile) {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(name + ": no executable jar at " + jar + " (build it with ./mvnw package)");
		}
		List<String> command = new ArrayList<>();
		if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
			command.add("/usr/bin/setsid");
		}
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions(System.getProperty("trustledger.service.jvm-options", "")));
		command.add("-jar");
		command.add(jar.toString());
		command.add("--server.port=" + port);
		command.addAll(springArgs);
		try {
			Files.createDirectories(logFile.getParent());
			ProcessBuilder builder = new ProcessBuilder(command);
			childEnvironment(builder.environment(), environment);
			Process process = builder.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
				.start();
			return new ServiceProcess(name, process, logFile, port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + name, ex);
		}
	}

	public String name() {
		return this.name;
	}

	public int port() {
		return this.port;
	}

	public URI baseUri() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	public Path logFile() {
		return this.logFile;
	}

	/**
	 * Waits until Spring Boot Actuator reports {@code UP}; fails early if the process
	 * dies.
	 */
	public void awaitHealthy(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		HttpRequest request = HttpRequest.newBuilder(baseUri().resolve("/actuator/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with code " + this.process.exitValue()
						+ " before it was healthy; see " + this.logFile);
			}
			try {
				HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for " + this.name, ex);
			}
			sleep(Duration.ofMillis(200));
		}
		throw new IllegalStateException(
				this.name + " was not healthy within " + timeout.toSeconds() + " s; see " + this.logFile);
	}

	/**
	 * Asks the service to shut down gracefully (SIGTERM) and waits; forces it after
	 * {@code grace}.
	 */
	public void stop(Duration grace) {
		if (!this.process.isAlive()) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				kill();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			kill();
		}
	}

	/** Ends the service at once (SIGKILL), as a crash would. */
	public void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The service's operating-system process id. */
	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	@Override
	public void close() {
		stop(Duration.ofSeconds(20));
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
