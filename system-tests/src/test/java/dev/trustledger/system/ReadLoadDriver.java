package dev.trustledger.system;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.infra.DemoUsers;
import dev.trustledger.infra.EmbeddedInfrastructure;
import dev.trustledger.infra.Ports;
import dev.trustledger.infra.ServiceProcess;

/**
 * The read path under load, on the embedded default: 10,000 engagements and about
 * 1,000,000 events, one engagement with 10,000 of them, imported through
 * {@code POST /api/imports} and projected by a rebuild; once the machine is quiet (the
 * stores' work after the load done), 8 concurrent readers of each kind of read for
 * {@code load.seconds} (10) each, in {@code load.rounds} (3) rounds, each round once with
 * readers that never wait and once with readers that wait after each answer: an
 * engagement, its timeline over the last 90 days and whole at the default point budget
 * (the 10,000-event engagement and one drawn at random), a portfolio page of 50 with a
 * filter in each order, the open alerts, and {@code asOf} for one engagement and for the
 * portfolio. Same-run baselines first: an authenticated request that reads nothing, and
 * the health endpoint.
 * <p>
 * Figures, not assertions: printed, and written to {@code target/load/read-report.txt}.
 * Run with {@code ./mvnw -pl system-tests -am verify -DskipTests -Pload-reads}; system
 * properties {@code load.seconds}, {@code load.readers}, {@code load.engagements},
 * {@code load.rounds} (3: how many times each read runs), {@code load.think-ms} (20: the
 * wait of each paced reader after an answer; 0, no paced rounds),
 * {@code load.quiet-seconds}, {@code load.client} ({@code wrk} when on the {@code PATH},
 * or {@code jdk}) and {@code load.only} (parts of the names of the reads to run,
 * separated by {@code ;}) change the shape.
 */
public final class ReadLoadDriver {

	/** Events of each engagement but the big one, the opening included. */
	private static final int EVENTS = 100;

	/** Events of the one long engagement, the opening included. */
	private static final int BIG_EVENTS = 10_000;

	private static final String BIG = "read-big";

	private static final Instant FIRST_OPENED = Instant.parse("2023-01-01T00:00:00Z");

	/** The histories run up to here: the 90 days before it are the recent window. */
	private static final Instant LAST = Instant.parse("2025-12-31T00:00:00Z");

	private final int engagements = Integer.getInteger("load.engagements", 10_000);

	private final int readers = Integer.getInteger("load.readers", 8);

	private final Duration loadTime = Duration.ofSeconds(Long.getLong("load.seconds", 10));

	/** How many times every read runs, one after another, each round with its floor. */
	private final int rounds = Integer.getInteger("load.rounds", 3);

	/**
	 * Beside the readers that never wait, the same reads by readers that each wait this
	 * long before every request (0: no such readers), as people reading what they asked
	 * for would: the latency of a service that is busy but not saturated. wrk only.
	 */
	private final int thinkMillis = Integer.getInteger("load.think-ms", 20);

	/**
	 * Only the reads whose names hold one of these parts, separated by {@code ;} (all of
	 * them by default): for a profile of a few.
	 */
	private final List<String> only = List.of(System.getProperty("load.only", "").split(";"));

	/**
	 * Who reads: {@code wrk} (the default, when it is on the {@code PATH}: readers in a
	 * process of their own) or {@code jdk} (the JDK's client in this JVM, as runs 1 to
	 * 12).
	 */
	private final String client = System.getProperty("load.client", "wrk");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Optional<Wrk> wrk = Optional.empty();

	private final List<String> report = new ArrayList<>();

	private ServiceProcess queries;

	private DemoUsers users;

	public static void main(String[] args) throws Exception {
		System.setProperty("axoniq.update-checker.disabled", "true");
		new ReadLoadDriver().run();
		System.exit(0);
	}

	private void run() throws Exception {
		Path dataDir = Files.createTempDirectory("trustledger-read-load");
		Path home = Path.of(System.getProperty("trustledger.home", "..")).toAbsolutePath().normalize();
		Path out = Path.of(System.getProperty("load.dir", "target/load"));
		Files.createDirectories(out);
		line("Trust Ledger read load driver, %s, %d cores, %d readers, %d s per read, %,d engagements", Instant.now(),
				Runtime.getRuntime().availableProcessors(), this.readers, this.loadTime.toSeconds(), this.engagements);
		if (this.client.equals("wrk")) {
			this.wrk = Wrk.onPath(out.resolve("wrk"));
		}
		line("Readers: %s",
				this.wrk.map((found) -> found.version() + ", in a process of its own")
					.orElse("the JDK's HttpClient in the driver's JVM"
							+ (this.client.equals("wrk") ? " (wrk is not on the PATH: apt-get install wrk)" : "")));
		ServiceProcess commands = null;
		try (EmbeddedInfrastructure infra = new EmbeddedInfrastructure(
				EmbeddedInfrastructure.Settings.onFreePorts(dataDir))
			.start()) {
			this.users = DemoUsers.in(dataDir);
			List<String> common = new ArrayList<>(
					List.of("--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers()));
			common.addAll(this.users.springArgs());
			commands = ServiceProcess.start("command-service", LoadDriver.jar(home, "command-service"),
					Ports.freePorts(1)[0], common, infra.eventStoreEnvironment(),
					out.resolve("read-command-service.log"));
			commands.awaitHealthy(Duration.ofSeconds(120));

			long start = System.nanoTime();
			String summary = LoadDriver.postImport(commands.baseUri(),
					this.users.withRole("ACCOUNT_TEAM").basicAuthorization(), new Histories(this.engagements));
			double seconds = (System.nanoTime() - start) / 1e9;
			JsonNode counts = LoadDriver.parse(summary).path("summary");
			line("");
			line("Import: %,d engagements, %,d events accepted, %,d rejected, in %.1f s (%,.0f events/s)",
					this.engagements, counts.path("accepted").asLong(), counts.path("rejected").asLong(), seconds,
					counts.path("accepted").asLong() / seconds);
			long publishing = System.nanoTime();
			while (!LoadDriver.published(infra)) {
				Thread.sleep(500);
			}
			line("Every stored event on the topic %.1f s after the import's answer",
					(System.nanoTime() - publishing) / 1e9);
			commands.stop(Duration.ofSeconds(30));
			commands = null;

			// the live listener stays off: a rebuild projects the history, as fast as it
			// can
			List<String> queryArgs = new ArrayList<>(common);
			queryArgs.add("--spring.data.mongodb.uri=" + infra.mongoConnectionString() + "/trustledger-query");
			queryArgs.add("--spring.kafka.listener.auto-startup=false");
			this.queries = ServiceProcess.start("query-service", LoadDriver.jar(home, "query-service"),
					Ports.freePorts(1)[0], queryArgs, out.resolve("read-query-service.log"));
			this.queries.awaitHealthy(Duration.ofSeconds(120));
			rebuild();
			awaitQuiet();

			warmUp();
			baselines();
			reads();
		}
		finally {
			if (this.queries != null) {
				this.queries.stop(Duration.ofSeconds(30));
			}
			if (commands != null) {
				commands.stop(Duration.ofSeconds(30));
			}
			Path report = out.resolve("read-report.txt");
			Files.write(report, this.report);
			System.out.println("written to " + report.toAbsolutePath());
			LoadDriver.deleteQuietly(dataDir);
		}
	}

	private void rebuild() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> started = send(HttpRequest.newBuilder(this.queries.baseUri().resolve("/api/replays"))
			.header("Authorization", this.users.withRole("ADMIN").basicAuthorization())
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		if (started.statusCode() != 202) {
			throw new IllegalStateException("Rebuild not started: " + started.body());
		}
		String id = LoadDriver.parse(started.body()).path("id").asText();
		JsonNode replay;
		do {
			Thread.sleep(1000);
			HttpResponse<String> progress = send(
					HttpRequest.newBuilder(this.queries.baseUri().resolve("/api/replays/" + id))
						.header("Authorization", this.users.withRole("ADMIN").basicAuthorization())
						.build());
			if (progress.statusCode() != 200) {
				throw new IllegalStateException("Rebuild not followed: " + progress.body());
			}
			replay = LoadDriver.parse(progress.body());
		}
		while (!List.of("DONE", "FAILED", "CANCELLED").contains(replay.path("phase").asText()));
		line("Rebuild: %s, %,d events in %.1f s", replay.path("phase").asText(),
				replay.path("eventsProcessed").asLong(), (System.nanoTime() - start) / 1e9);
		if (!replay.path("phase").asText().equals("DONE")) {
			throw new IllegalStateException("Rebuild failed: " + replay);
		}
	}

	/**
	 * Waits until the machine is quiet: after loading a million events the stores may go
	 * on working (PostgreSQL's autovacuum, the MongoDB-wire server's file store, the
	 * broker's segments), and the reads are measured once they have stopped. Quiet: under
	 * a fifth of one core busy over 5 s, from {@code /proc/stat}; at most
	 * {@code load.quiet-seconds} (300) of waiting.
	 */
	private void awaitQuiet() throws Exception {
		Path stat = Path.of("/proc/stat");
		if (!Files.isReadable(stat)) {
			line("No /proc/stat: reads measured at once");
			return;
		}
		long limit = Long.getLong("load.quiet-seconds", 300);
		int cores = Runtime.getRuntime().availableProcessors();
		long started = System.nanoTime();
		long[] before = cpu(stat);
		double busy = Double.NaN;
		boolean quiet = false;
		while (!quiet && (System.nanoTime() - started) / 1e9 < limit) {
			Thread.sleep(5000);
			long[] after = cpu(stat);
			long total = after[0] - before[0];
			busy = (total == 0) ? 0 : (double) (after[1] - before[1]) / total;
			before = after;
			quiet = busy * cores < 0.2;
		}
		line("%s after %.0f s: %.0f %% of the machine busy over the last 5 s", quiet ? "Quiet" : "Not quiet",
				(System.nanoTime() - started) / 1e9, busy * 100);
	}

	/**
	 * The jiffies of all the cores in {@code /proc/stat}: all (user to steal; guest time
	 * is already in user), and busy: not idle, waiting for the disk, or taken by the
	 * hypervisor for another machine.
	 */
	private static long[] cpu(Path stat) throws IOException {
		String[] fields = Files.readAllLines(stat).get(0).trim().split("\\s+");
		long total = 0;
		for (int i = 1; i <= 8 && i < fields.length; i++) {
			total += Long.parseLong(fields[i]);
		}
		long notBusy = Long.parseLong(fields[4]) + Long.parseLong(fields[5])
				+ ((fields.length > 8) ? Long.parseLong(fields[8]) : 0);
		return new long[] { total, total - notBusy };
	}

	/** Every kind of read, so that the JIT and the caches are where they will be. */
	private void warmUp() throws Exception {
		List<String> paths = new ArrayList<>();
		for (Read read : reads(new Random(1))) {
			String path = read.path().apply(0);
			if (!path.contains("asOf")) {
				paths.add(path);
			}
		}
		drive(Duration.ofSeconds(15), (client) -> paths.get(ThreadLocalRandom.current().nextInt(paths.size())), true,
				0);
		line("");
		line("Warm-up: 15 s of every read but asOf");
	}

	private void baselines() throws Exception {
		line("");
		line("Baselines (same run, %d readers, %d s each)", this.readers, this.loadTime.toSeconds());
		line("  authenticated GET /api/me (the HTTP stack and security, no store): %s", drive((client) -> "/api/me"));
		line("  GET /actuator/health, no credentials (pings the store): %s",
				drive(this.loadTime, (client) -> "/actuator/health", false, 0));
		if (this.wrk.isPresent()) {
			// the JDK's client warmed up first: the warm-up above was wrk's
			LoadDriver.drive(this.readers, Duration.ofSeconds(5), (client) -> get("/api/me").statusCode() == 200);
			line("  authenticated GET /api/me, read by the JDK's client in the driver's JVM (as runs 1 to 12): %s",
					LoadDriver.drive(this.readers, this.loadTime, (client) -> get("/api/me").statusCode() == 200));
		}
	}

	private void reads() throws Exception {
		line("");
		line("Reads (%d readers, %d s each, p50 / p99 %s)", this.readers, this.loadTime.toSeconds(),
				this.wrk.isPresent() ? "of every answer; any answer not 2xx or 3xx counted as failed"
						: "of answers 200; others counted as failed");
		List<Read> reads = reads(new Random(7));
		boolean paced = this.thinkMillis > 0 && this.wrk.isPresent();
		if (this.thinkMillis > 0 && !paced) {
			line("  (no paced readers: they need wrk)");
		}
		for (int round = 1; round <= this.rounds; round++) {
			// the paced pass first in even rounds: neither always inherits the other's
			// heap
			List<Integer> passes = (round % 2 == 0) ? List.of(this.thinkMillis, 0) : List.of(0, this.thinkMillis);
			for (int think : paced ? passes : List.of(0)) {
				// each round with its own floor: the machine's noise moves from minute to
				// minute
				line("  round %d of %d, %s", round, this.rounds,
						(think == 0) ? "readers that never wait (the service saturated)"
								: "readers that wait " + think + " ms after each answer");
				line("  authenticated GET /api/me (the floor): %s",
						drive(this.loadTime, (client) -> "/api/me", true, think));
				for (Read read : reads) {
					if (this.only.stream().anyMatch(read.name()::contains)) {
						line("  %s: %s", read.name(), drive(this.loadTime, read.path(), true, think));
					}
				}
			}
		}
		if (this.only.stream().noneMatch("asOf, the portfolio, first ask"::contains)) {
			return;
		}
		// the portfolio as of a date nobody asked for yet: every engagement re-scored
		// with the CPU time it cost the query service and the stores (both JVMs' every
		// thread, the collectors' included)
		for (String date : List.of("2024-03-31", "2024-09-30", "2025-03-31")) {
			Duration service = cpu(ProcessHandle.of(this.queries.pid()));
			Duration stores = cpu(Optional.of(ProcessHandle.current()));
			long start = System.nanoTime();
			int status = get("/api/engagements?size=50&asOf=" + date + "T00:00:00Z").statusCode();
			double millis = (System.nanoTime() - start) / 1e6;
			line("  asOf, the portfolio, first ask of %s (alone): %d in %.0f ms; CPU: query service %d ms, stores %d ms",
					date, status, millis, cpu(ProcessHandle.of(this.queries.pid())).minus(service).toMillis(),
					cpu(Optional.of(ProcessHandle.current())).minus(stores).toMillis());
		}
	}

	private List<Read> reads(Random random) {
		String from90 = LAST.minus(Duration.ofDays(90)).toString();
		IntFunction<String> any = (client) -> id(ThreadLocalRandom.current().nextInt(this.engagements - 1));
		List<Read> reads = new ArrayList<>();
		reads.add(new Read("an engagement, the 10,000-event one", (client) -> "/api/engagements/" + BIG));
		reads.add(new Read("an engagement, any", (client) -> "/api/engagements/" + any.apply(client)));
		reads.add(new Read("its timeline, last 90 days, the 10,000-event one",
				(client) -> "/api/engagements/" + BIG + "/timeline?from=" + from90));
		reads.add(new Read("its timeline, last 90 days, any",
				(client) -> "/api/engagements/" + any.apply(client) + "/timeline?from=" + from90));
		reads.add(new Read("its whole timeline at the default budget, the 10,000-event one",
				(client) -> "/api/engagements/" + BIG + "/timeline"));
		reads.add(new Read("its whole timeline at the default budget, any",
				(client) -> "/api/engagements/" + any.apply(client) + "/timeline"));
		for (String sort : List.of("trust", "responsibility", "change")) {
			for (String direction : List.of("asc", "desc")) {
				reads.add(new Read("portfolio page of 50, deliveryLead filter, sort=" + sort + " " + direction,
						(client) -> "/api/engagements?size=50&sort=" + sort + "&direction=" + direction
								+ "&deliveryLead=Lead%20" + ThreadLocalRandom.current().nextInt(40) + "&page="
								+ ThreadLocalRandom.current().nextInt(3)));
			}
		}
		reads.add(new Read("portfolio page of 50, band=WATCH, sort=trust asc, page 0-9",
				(client) -> "/api/engagements?size=50&band=WATCH&page=" + ThreadLocalRandom.current().nextInt(10)));
		reads.add(new Read("portfolio page of 50, no filter, sort=change desc, page 0-99",
				(client) -> "/api/engagements?size=50&sort=change&direction=desc&page="
						+ ThreadLocalRandom.current().nextInt(100)));
		reads.add(new Read("open alerts", (client) -> "/api/alerts?open=true"));
		reads.add(new Read("an engagement's alerts", (client) -> "/api/alerts?engagementId=" + any.apply(client)));
		reads.add(new Read("asOf, one engagement (any), a day in 2025",
				(client) -> "/api/engagements/" + any.apply(client) + "?asOf=2025-"
						+ String.format(Locale.ROOT, "%02d", 1 + random.nextInt(12)) + "-15T00:00:00Z"));
		reads.add(new Read("asOf, the portfolio, page of 50 of one date (each date computed once, then kept)",
				(client) -> "/api/engagements?size=50&asOf=2025-06-30T00:00:00Z&page="
						+ ThreadLocalRandom.current().nextInt(10)));
		return reads;
	}

	private record Read(String name, IntFunction<String> path) {
	}

	private String drive(IntFunction<String> path) throws Exception {
		return drive(this.loadTime, path, true, 0);
	}

	/**
	 * {@code readers} concurrent readers of the paths drawn by {@code path} for
	 * {@code time}: wrk's, each waiting {@code thinkMillis} before every request, or the
	 * JDK client's in this JVM, never waiting (the caller runs paced readers only with
	 * wrk).
	 */
	private String drive(Duration time, IntFunction<String> path, boolean authorized, int thinkMillis)
			throws Exception {
		String authorization = authorized ? this.users.withRole("DELIVERY_LEAD").basicAuthorization() : null;
		if (this.wrk.isPresent()) {
			Duration service = cpu(ProcessHandle.of(this.queries.pid()));
			Duration stores = cpu(Optional.of(ProcessHandle.current()));
			Wrk.Result result = this.wrk.get()
				.run(this.queries.baseUri(), this.readers, time, Math.max(Wrk.PATHS, 5 * this.engagements), path,
						authorization, thinkMillis);
			return result + cpuPerRead(cpu(ProcessHandle.of(this.queries.pid())).minus(service),
					cpu(Optional.of(ProcessHandle.current())).minus(stores), result.requests());
		}
		return LoadDriver
			.drive(this.readers, time, (client) -> get(path.apply(client), authorization).statusCode() == 200)
			.toString();
	}

	/**
	 * The CPU time a process has used so far (user and system, all its threads), or zero
	 * where the platform does not say.
	 */
	private static Duration cpu(Optional<ProcessHandle> process) {
		return process.flatMap((handle) -> handle.info().totalCpuDuration()).orElse(Duration.ZERO);
	}

	/**
	 * What a read cost the query service's process and this one (the MongoDB-wire server
	 * and the broker; wrk's own is not counted) in CPU time: unlike a percentile, that
	 * does not move with how the readers queued on the cores, so it tells a read made
	 * cheaper from a quieter minute of the machine.
	 */
	private static String cpuPerRead(Duration service, Duration stores, long reads) {
		if (reads == 0 || service.isZero()) {
			return "";
		}
		return String.format(Locale.ROOT, "; CPU a read: query service %.0f µs, stores %.0f µs",
				service.toNanos() / 1e3 / reads, stores.toNanos() / 1e3 / reads);
	}

	/** The engagements' histories as import lines, engagement by engagement. */
	private static final class Histories extends GeneratedLines {

		private final int engagements;

		private int engagement = -1;

		Histories(int engagements) {
			this.engagements = engagements;
		}

		@Override
		protected String next() {
			this.engagement++;
			return (this.engagement < this.engagements)
					? history(this.engagement, this.engagement == this.engagements - 1) : null;
		}

		/**
		 * One engagement: opened on one of the first 200 days of 2023, then incidents
		 * evenly up to the end of 2025, drawn from its own seed. How often it breaks
		 * promises is its own too, so the portfolio spreads over the bands and some
		 * engagements raise alerts.
		 */
		private static String history(int n, boolean big) {
			String id = big ? BIG : id(n);
			Random random = new Random(n);
			Instant opened = FIRST_OPENED.plus(Duration.ofDays(big ? 0 : n % 200));
			int events = big ? BIG_EVENTS : EVENTS;
			long step = Duration.between(opened, LAST).toSeconds() / events;
			double troubled = random.nextDouble();
			return ImportedHistory.lines(id, "Client " + id, "Team " + (n % 25), "Lead " + (n % 40), opened, events,
					Duration.ofSeconds(step), 0.15 + 0.6 * troubled, random, "read load");
		}

	}

	private static String id(int n) {
		return String.format(Locale.ROOT, "read-%05d", n);
	}

	/** Reads as a browser does: accepting gzip, and inflating what comes compressed. */
	private HttpResponse<String> get(String path) {
		return get(path, this.users.withRole("DELIVERY_LEAD").basicAuthorization());
	}

	/**
	 * As {@link #get(String)}, with {@code authorization} when not null, none otherwise.
	 */
	private HttpResponse<String> get(String path, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.queries.baseUri().resolve(path))
			.header("Accept-Encoding", "gzip")
			.timeout(Duration.ofMinutes(5));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return send(request.GET().build());
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, ReadLoadDriver::body);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static HttpResponse.BodySubscriber<String> body(HttpResponse.ResponseInfo info) {
		if (!info.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip")) {
			return HttpResponse.BodySubscribers.ofString(java.nio.charset.StandardCharsets.UTF_8);
		}
		return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), (compressed) -> {
			try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
					new java.io.ByteArrayInputStream(compressed))) {
				return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		});
	}

	private void line(String format, Object... args) {
		String text = String.format(Locale.ROOT, format, args);
		this.report.add(text);
		System.out.println(text);
	}

}
