package dev.trustledger.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.infra.DemoUsers;
import dev.trustledger.infra.EmbeddedInfrastructure;
import dev.trustledger.infra.EmbeddedPostgresServer;
import dev.trustledger.infra.Ports;
import dev.trustledger.infra.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The write path under load, measured end to end on the embedded default: PostgreSQL,
 * Kafka and the MongoDB-wire server in this JVM, both services from their executable jars
 * in JVMs of their own, as {@code ./trustledger up} runs them.
 * <p>
 * In one run: same-run baselines (the HTTP stack answering an authenticated request that
 * does nothing, and PostgreSQL inserting rows of the event table's shape, batched and one
 * per commit); 1,000 engagements opened by 32 clients; then, at each store size (default
 * 0, 100,000 and 1,000,000 events, reached by importing histories through
 * {@code POST /api/imports}, which is measured too), 32 HTTP clients recording incidents
 * over the 1,000 engagements for 30 s, with publish lag (recorded → seen on the topic)
 * and projection lag (answered → visible in the query service) during the load, and how
 * long both take to catch up after it.
 * <p>
 * Figures, not assertions: printed, and written to {@code target/load/load-report.txt}.
 * Run with {@code ./mvnw -pl system-tests -am verify -DskipTests -Pload}; system
 * properties {@code load.sizes}, {@code load.seconds}, {@code load.clients} change the
 * shape.
 */
public final class LoadDriver {

	private static final ObjectMapper json = new ObjectMapper();

	private static final String TOPIC = "trustledger.engagement-events";

	private static final String PROJECTION_GROUP = "trustledger-projections";

	private static final int ENGAGEMENTS = 1000;

	private static final int HISTORY_EVENTS = 1000;

	private static final Duration WARM_UP = Duration.ofSeconds(10);

	private static final Instant OPENED = Instant.parse("2024-01-01T00:00:00Z");

	private final int clients = Integer.getInteger("load.clients", 32);

	private final Duration loadTime = Duration.ofSeconds(Long.getLong("load.seconds", 30));

	private final List<Long> sizes = Arrays.stream(System.getProperty("load.sizes", "0,100000,1000000").split(","))
		.map(String::trim)
		.map(Long::parseLong)
		.toList();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final List<String> report = new ArrayList<>();

	private EmbeddedInfrastructure infra;

	private ServiceProcess commands;

	private ServiceProcess queries;

	private DemoUsers users;

	private int historyEngagements;

	public static void main(String[] args) throws Exception {
		System.setProperty("axoniq.update-checker.disabled", "true");
		new LoadDriver().run();
		System.exit(0);
	}

	private void run() throws Exception {
		Path dataDir = Files.createTempDirectory("trustledger-load");
		Path home = Path.of(System.getProperty("trustledger.home", "..")).toAbsolutePath().normalize();
		Path out = Path.of(System.getProperty("load.dir", "target/load"));
		Files.createDirectories(out);
		line("Trust Ledger load driver, %s, %d cores, %d clients, %d s per load, sizes %s", Instant.now(),
				Runtime.getRuntime().availableProcessors(), this.clients, this.loadTime.toSeconds(), this.sizes);
		this.infra = new EmbeddedInfrastructure(EmbeddedInfrastructure.Settings.onFreePorts(dataDir)).start();
		try {
			this.users = DemoUsers.in(dataDir);
			List<String> common = new ArrayList<>(
					List.of("--spring.kafka.bootstrap-servers=" + this.infra.kafkaBootstrapServers()));
			common.addAll(this.users.springArgs());
			List<String> queryArgs = new ArrayList<>(common);
			queryArgs.add("--spring.data.mongodb.uri=" + this.infra.mongoConnectionString() + "/trustledger-query");
			this.commands = ServiceProcess.start("command-service", jar(home, "command-service"), Ports.freePorts(1)[0],
					common, this.infra.eventStoreEnvironment(), out.resolve("command-service.log"));
			this.queries = ServiceProcess.start("query-service", jar(home, "query-service"), Ports.freePorts(1)[0],
					queryArgs, out.resolve("query-service.log"));
			this.commands.awaitHealthy(Duration.ofSeconds(120));
			this.queries.awaitHealthy(Duration.ofSeconds(120));

			baselines();
			openEngagements();
			long imported = 0;
			double importSeconds = 0;
			boolean projecting = true;
			for (long size : this.sizes) {
				long stored = stored();
				if (size > stored) {
					double seconds = importUpTo(size);
					imported += stored() - stored;
					importSeconds += seconds;
				}
				awaitQuiet(projecting);
				load(projecting);
				if (projecting) {
					// The live projection rewrites an engagement's month of timeline for
					// every event (docs/performance.md): it cannot follow an import of
					// hundreds of thousands here, and takes both cores from the write
					// path.
					// From here on the write path is measured alone, at this size too, so
					// that the sizes compare; the projection's own rate is measured last.
					line("");
					line("(query service stopped: from here on the write path alone)");
					this.queries.stop(Duration.ofSeconds(30));
					projecting = false;
					awaitQuiet(false);
					load(false);
				}
			}
			if (importSeconds > 0) {
				line("");
				line("Import in all: %,d events in %.1f s = %,.0f events/s", imported, importSeconds,
						imported / importSeconds);
			}
			if (!projecting) {
				projectionRate(queryArgs, out);
			}
		}
		finally {
			if (this.queries != null) {
				this.queries.stop(Duration.ofSeconds(30));
			}
			if (this.commands != null) {
				this.commands.stop(Duration.ofSeconds(30));
			}
			this.infra.close();
			Path report = out.resolve("load-report.txt");
			Files.write(report, this.report);
			System.out.println("written to " + report.toAbsolutePath());
			deleteQuietly(dataDir);
		}
	}

	// baselines

	private void baselines() throws Exception {
		line("");
		line("Baselines (same run, same machine, after %d s of warm-up)", WARM_UP.toSeconds());
		IntFunction<Boolean> noop = (
				client) -> send(HttpRequest.newBuilder(this.commands.baseUri().resolve("/api/incident-types"))
					.header("Authorization", this.users.withRole("ACCOUNT_TEAM").basicAuthorization())
					.GET()
					.build()).statusCode() == 200;
		IntFunction<Boolean> health = (client) -> send(
				HttpRequest.newBuilder(this.commands.baseUri().resolve("/actuator/health")).GET().build())
			.statusCode() == 200;
		drive(this.clients, WARM_UP, noop);
		line("  HTTP, authenticated GET /api/incident-types (reads nothing, stores nothing): %s",
				drive(this.clients, Duration.ofSeconds(10), noop));
		line("  HTTP, GET /actuator/health without credentials: %s",
				drive(this.clients, Duration.ofSeconds(10), health));
		postgresBaselines();
	}

	/** PostgreSQL alone: rows of the event table's shape, one per commit and batched. */
	private void postgresBaselines() throws Exception {
		String url = this.infra.postgresJdbcUrl();
		String password = this.infra.postgresPassword();
		// the event table's columns, indexes and constraints, but a sequence of its own:
		// sharing the event store's would open a gap of hundreds of thousands in its
		// global index, which the publisher's gap-aware token cannot carry (65,535 gaps
		// at most)
		try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, password)) {
			connection.createStatement()
				.execute("CREATE TABLE IF NOT EXISTS load_baseline (LIKE domainevententry INCLUDING INDEXES"
						+ " INCLUDING CONSTRAINTS, globalindex_own BIGSERIAL)");
			connection.createStatement().execute("ALTER TABLE load_baseline ALTER COLUMN globalindex DROP DEFAULT");
			connection.createStatement()
				.execute("ALTER TABLE load_baseline ALTER COLUMN globalindex SET DEFAULT"
						+ " nextval(pg_get_serial_sequence('load_baseline', 'globalindex_own'))");
		}
		AtomicLong sequence = new AtomicLong();
		Latencies single = drive(this.clients, Duration.ofSeconds(10), new PostgresWriter(url, password, sequence, 1));
		line("  PostgreSQL, one event row per commit, %d connections: %s", this.clients, single);
		Latencies batched = drive(4, Duration.ofSeconds(10), new PostgresWriter(url, password, sequence, 500));
		line("  PostgreSQL, 500 event rows per commit (JDBC batch), 4 connections: %s; %,.0f rows/s", batched,
				batched.count() * 500 / batched.seconds());
	}

	/**
	 * Inserts rows shaped like stored events, {@code batch} per transaction, per client.
	 */
	private static final class PostgresWriter implements IntFunction<Boolean> {

		private final String url;

		private final String password;

		private final AtomicLong sequence;

		private final int batch;

		private final Map<Integer, Connection> connections = new ConcurrentHashMap<>();

		PostgresWriter(String url, String password, AtomicLong sequence, int batch) {
			this.url = url;
			this.password = password;
			this.sequence = sequence;
			this.batch = batch;
		}

		@Override
		public Boolean apply(int client) {
			try {
				Connection connection = this.connections.computeIfAbsent(client, (c) -> {
					try {
						Connection opened = DriverManager.getConnection(this.url, EmbeddedPostgresServer.USER,
								this.password);
						opened.setAutoCommit(false);
						return opened;
					}
					catch (SQLException ex) {
						throw new IllegalStateException(ex);
					}
				});
				try (PreparedStatement insert = connection.prepareStatement("INSERT INTO load_baseline"
						+ " (aggregateidentifier, sequencenumber, type, eventidentifier, metadata, payload,"
						+ " payloadrevision, payloadtype, timestamp) VALUES (?, ?, 'Engagement', ?, ?, ?, '1', ?, ?)")) {
					for (int i = 0; i < this.batch; i++) {
						long n = this.sequence.incrementAndGet();
						insert.setString(1, "baseline-" + (n % 1000));
						insert.setLong(2, n);
						insert.setString(3, UUID.randomUUID().toString());
						insert.setBytes(4, "{\"traceId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
						insert.setBytes(5,
								incidentJson("baseline-" + (n % 1000), UUID.randomUUID().toString(),
										Instant.parse("2026-02-01T00:00:00Z"), (int) (n % 5) + 1)
									.getBytes(StandardCharsets.UTF_8));
						insert.setString(6, "dev.trustledger.events.promise.PromiseBroken");
						insert.setString(7, Instant.now().toString());
						insert.addBatch();
					}
					insert.executeBatch();
				}
				connection.commit();
				return true;
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	// the command side under load

	private void openEngagements() throws Exception {
		AtomicLong next = new AtomicLong();
		Latencies opens = drive(this.clients, null, (client) -> {
			long n = next.getAndIncrement();
			if (n >= ENGAGEMENTS) {
				return null;
			}
			HttpResponse<String> response = post("/api/engagements", """
					{"engagementId": "working-%d", "clientName": "Client %d", "accountTeam": "Team %d",
					 "deliveryLead": "Lead %d", "openedAt": "%s"}""".formatted(n, n, n % 20, n % 12, OPENED));
			return response.statusCode() == 201;
		});
		line("");
		line("Opening %,d engagements, %d clients: %s", ENGAGEMENTS, this.clients, opens);
		Random random = new Random(42);
		Latencies warmUp = drive(this.clients, WARM_UP, (client) -> {
			int engagement;
			String incident;
			synchronized (random) {
				engagement = random.nextInt(ENGAGEMENTS);
				incident = new UUID(random.nextLong(), random.nextLong()).toString();
			}
			return post("/api/engagements/working-" + engagement + "/incidents",
					incidentJson(null, incident, Instant.parse("2026-02-01T00:00:00Z"), 2))
				.statusCode() == 201;
		});
		line("Warm-up, %d s of incidents (not counted below): %,d recorded", WARM_UP.toSeconds(), warmUp.count());
	}

	/** 32 clients recording incidents on the working engagements for the load time. */
	private void load(boolean projecting) throws Exception {
		long before = stored();
		line("");
		line("Load at %,d stored events: %d clients recording incidents over %,d engagements for %d s%s", before,
				this.clients, ENGAGEMENTS, this.loadTime.toSeconds(), projecting ? "" : " (no query service)");
		Cpu cpu = new Cpu(this.commands, projecting ? this.queries : null);
		AtomicReference<long[]> lastAnswer = new AtomicReference<>();
		Random seeds = new Random(before);
		Map<Integer, Random> randoms = new ConcurrentHashMap<>();
		long seedBase = seeds.nextLong();
		try (TopicWatcher topic = new TopicWatcher(this.infra.kafkaBootstrapServers());
				ProjectionSampler projection = projecting ? new ProjectionSampler(lastAnswer) : null) {
			Latencies load = drive(this.clients, this.loadTime, (client) -> {
				Random random = randoms.computeIfAbsent(client, (c) -> new Random(seedBase + c));
				int engagement = random.nextInt(ENGAGEMENTS);
				HttpResponse<String> response = post("/api/engagements/working-" + engagement + "/incidents",
						incidentJson(null, new UUID(random.nextLong(), random.nextLong()).toString(),
								Instant.parse("2026-02-01T00:00:00Z"), 1 + random.nextInt(5)));
				if (response.statusCode() != 201) {
					return false;
				}
				long sequence = parse(response.body()).path("sequence").asLong();
				lastAnswer.set(new long[] { engagement, sequence, System.nanoTime() });
				return true;
			});
			long loadEnd = System.nanoTime();
			long after = stored();
			line("  incidents: %s", load);
			line("  CPU per incident: %s", cpu.perEvent(load.count()));
			topic.stopRecordingLag();
			line("  publish lag during the load (recorded -> seen on the topic by a consumer): %s", topic.lags());
			if (projection != null) {
				projection.stop();
				line("  projection lag during the load (answered 201 -> visible in GET /api/engagements/{id}): %s",
						projection.lags());
				line("  projection backlog during the load (events not yet projected, sampled): max %,d",
						projection.maxBacklog());
			}
			double published = topic.awaitDistinct(after - before, loadEnd);
			if (projection != null) {
				double projected = awaitProjected(loadEnd);
				line("  after the load: %,d new events stored; all on the topic %.2f s and all projected %.2f s after the last answer",
						after - before, published, projected);
			}
			else {
				line("  after the load: %,d new events stored; all on the topic %.2f s after the last answer",
						after - before, published);
			}
		}
	}

	/** Imports engagement histories until the store holds {@code size} events. */
	private double importUpTo(long size) throws Exception {
		long missing = size - stored();
		int engagements = (int) Math.max(1, missing / HISTORY_EVENTS);
		int first = this.historyEngagements;
		this.historyEngagements += engagements;
		long lines = (long) engagements * HISTORY_EVENTS;
		long start = System.nanoTime();
		String summary = postImport(new HistoryLines(first, engagements));
		double seconds = (System.nanoTime() - start) / 1e9;
		JsonNode counts = parse(summary).path("summary");
		line("");
		line("Import of %,d engagements x %,d events (%,d lines, one request): %.1f s = %,.0f events/s; accepted %,d, rejected %,d",
				engagements, HISTORY_EVENTS, lines, seconds, lines / seconds, counts.path("accepted").asLong(),
				counts.path("rejected").asLong());
		return seconds;
	}

	/**
	 * Posts an NDJSON body and returns the answer's last line. The service answers line
	 * by line while the body is still coming, so the answer is read while the body is
	 * sent (as curl does); a client that sends everything before reading would fill both
	 * directions' buffers and stall. A raw socket, since the JDK's client does not
	 * interleave the two.
	 */
	private String postImport(InputStream body) throws Exception {
		return postImport(this.commands.baseUri(), this.users.withRole("ACCOUNT_TEAM").basicAuthorization(), body);
	}

	/** The same, to any command service as anyone. */
	static String postImport(URI uri, String authorization, InputStream body) throws Exception {
		try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
			java.io.OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
			AtomicReference<String> last = new AtomicReference<>("");
			Thread reader = new Thread(() -> last.set(lastLineOf(socket)), "import-answer");
			reader.start();
			out.write(("POST /api/imports HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
					+ "\r\nAuthorization: " + authorization
					+ "\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			byte[] chunk = new byte[1 << 16];
			int n;
			while ((n = body.read(chunk, 0, chunk.length)) > 0) {
				out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
				out.write(chunk, 0, n);
				out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
			}
			out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			reader.join();
			return last.get();
		}
	}

	/** The last line of a chunked answer, read to its end. */
	private static String lastLineOf(java.net.Socket socket) {
		try {
			java.io.DataInputStream in = new java.io.DataInputStream(
					new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16));
			String header;
			while (!(header = asciiLine(in)).isEmpty()) {
				// status line and headers: the answer is chunked (it is streamed)
			}
			java.io.ByteArrayOutputStream tail = new java.io.ByteArrayOutputStream();
			int size;
			while ((size = Integer.parseInt(asciiLine(in).trim(), 16)) > 0) {
				byte[] data = new byte[size];
				in.readFully(data);
				asciiLine(in);
				tail.write(data);
				if (tail.size() > (1 << 20)) {
					byte[] all = tail.toByteArray();
					tail.reset();
					tail.write(all, all.length - (1 << 16), 1 << 16);
				}
			}
			String text = tail.toString(StandardCharsets.UTF_8).strip();
			return text.substring(text.lastIndexOf('\n') + 1);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String asciiLine(java.io.DataInputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != -1 && c != '\n') {
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	/** One engagement after another: its opening, then its incidents in time order. */
	private static final class HistoryLines extends GeneratedLines {

		private final int first;

		private final int count;

		private int engagement;

		private int event;

		HistoryLines(int first, int count) {
			this.first = first;
			this.count = count;
		}

		@Override
		protected String next() {
			if (this.engagement >= this.count) {
				return null;
			}
			String id = "history-" + (this.first + this.engagement);
			StringBuilder lines = new StringBuilder();
			for (int i = 0; i < 100 && this.event < HISTORY_EVENTS; i++, this.event++) {
				if (this.event == 0) {
					lines.append(
							"{\"engagementId\":\"%s\",\"clientName\":\"History %s\",\"accountTeam\":\"Team %d\",\"deliveryLead\":\"Lead %d\",\"openedAt\":\"%s\"}"
								.formatted(id, id, this.engagement % 20, this.engagement % 12, OPENED));
				}
				else {
					UUID incident = UUID.nameUUIDFromBytes((id + "/" + this.event).getBytes(StandardCharsets.UTF_8));
					lines.append(incidentJson(id, incident.toString(), OPENED.plusSeconds(3600L * this.event),
							1 + this.event % 5));
				}
				lines.append('\n');
			}
			if (this.event >= HISTORY_EVENTS) {
				this.event = 0;
				this.engagement++;
			}
			return lines.toString();
		}

	}

	private static String incidentJson(String engagementId, String incidentId, Instant occurredAt, int severity) {
		String type = (severity % 2 == 0) ? "PROMISE_BROKEN" : "STOOD_BY_PARTNER";
		String party = (severity % 3 == 0) ? "CLIENT" : "VENDOR";
		return ((engagementId != null) ? "{\"engagementId\":\"" + engagementId + "\"," : "{")
				+ "\"incidentId\":\"%s\",\"type\":\"%s\",\"party\":\"%s\",\"severity\":%d,\"occurredAt\":\"%s\",\"note\":\"load driver\"}"
					.formatted(incidentId, type, party, severity, occurredAt);
	}

	// lags

	/**
	 * Reads every record published from now on and how long after its recording it
	 * arrived.
	 */
	private static final class TopicWatcher implements AutoCloseable {

		private final KafkaConsumer<String, byte[]> consumer;

		private final Thread thread;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicBoolean recordingLag = new AtomicBoolean(true);

		private final Set<String> ids = ConcurrentHashMap.newKeySet();

		private final List<Long> lagMicros = java.util.Collections.synchronizedList(new ArrayList<>());

		TopicWatcher(String bootstrapServers) {
			Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
					ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
					ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
					ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
			this.consumer = new KafkaConsumer<>(props);
			List<TopicPartition> partitions = this.consumer.partitionsFor(TOPIC)
				.stream()
				.map((info) -> new TopicPartition(TOPIC, info.partition()))
				.toList();
			this.consumer.assign(partitions);
			this.consumer.seekToEnd(partitions);
			partitions.forEach(this.consumer::position);
			this.thread = new Thread(this::poll, "topic-watcher");
			this.thread.start();
		}

		private void poll() {
			while (this.running.get()) {
				for (ConsumerRecord<String, byte[]> record : this.consumer.poll(Duration.ofMillis(100))) {
					long now = System.currentTimeMillis();
					JsonNode envelope = parse(new String(record.value(), StandardCharsets.UTF_8));
					if (this.ids.add(envelope.path("id").asText()) && this.recordingLag.get()) {
						Instant recorded = Instant.parse(envelope.path("time").asText());
						this.lagMicros.add((now - recorded.toEpochMilli()) * 1000);
					}
				}
			}
		}

		void stopRecordingLag() {
			this.recordingLag.set(false);
		}

		String lags() {
			return Latencies.describe(new ArrayList<>(this.lagMicros));
		}

		/** Seconds from {@code since} until {@code count} distinct records were seen. */
		double awaitDistinct(long count, long since) {
			long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
			while (this.ids.size() < count && System.nanoTime() < deadline) {
				sleep(10);
			}
			return (System.nanoTime() - since) / 1e9;
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			this.thread.join();
			this.consumer.close();
		}

	}

	/**
	 * Every 200 ms takes the latest answered incident and polls the query service until
	 * the engagement shows it; also samples the projection's consumer lag in events.
	 */
	private final class ProjectionSampler implements AutoCloseable {

		private final AtomicReference<long[]> lastAnswer;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final List<Long> lagMicros = java.util.Collections.synchronizedList(new ArrayList<>());

		private final AtomicLong maxBacklog = new AtomicLong();

		private final Thread thread;

		ProjectionSampler(AtomicReference<long[]> lastAnswer) {
			this.lastAnswer = lastAnswer;
			this.thread = new Thread(this::sample, "projection-sampler");
			this.thread.start();
		}

		private void sample() {
			try (Admin admin = admin()) {
				while (this.running.get()) {
					long[] answer = this.lastAnswer.get();
					if (answer != null) {
						String path = "/api/engagements/working-" + answer[0];
						while (this.running.get()) {
							JsonNode view = parse(query(path).body());
							if (view.path("eventCount").asLong() > answer[1]) {
								this.lagMicros.add((System.nanoTime() - answer[2]) / 1000);
								break;
							}
							LoadDriver.sleep(5);
						}
					}
					this.maxBacklog.accumulateAndGet(backlog(admin), Math::max);
					LoadDriver.sleep(200);
				}
			}
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			this.thread.join();
		}

		String lags() {
			return Latencies.describe(new ArrayList<>(this.lagMicros));
		}

		long maxBacklog() {
			return this.maxBacklog.get();
		}

		@Override
		public void close() throws InterruptedException {
			stop();
		}

	}

	/**
	 * Seconds from {@code since} until the projection has consumed everything on the
	 * topic.
	 */
	private double awaitProjected(long since) {
		try (Admin admin = admin()) {
			long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
			while (backlog(admin) > 0 && System.nanoTime() < deadline) {
				sleep(20);
			}
		}
		return (System.nanoTime() - since) / 1e9;
	}

	/** Waits until everything stored is published (and projected). */
	private void awaitQuiet(boolean projecting) {
		long start = System.nanoTime();
		try (Admin admin = admin()) {
			long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
			while (System.nanoTime() < deadline && (!published() || (projecting && backlog(admin) > 0))) {
				sleep(500);
			}
		}
		line("  (waited %.1f s for publication%s to catch up before the next load)", (System.nanoTime() - start) / 1e9,
				projecting ? " and projection" : "");
	}

	/**
	 * Starts the query service again on the whole backlog and measures how fast it
	 * projects.
	 */
	private void projectionRate(List<String> queryArgs, Path out) {
		this.queries = ServiceProcess.start("query-service",
				jar(Path.of(System.getProperty("trustledger.home", "..")).toAbsolutePath().normalize(),
						"query-service"),
				Ports.freePorts(1)[0], queryArgs, out.resolve("query-service-2.log"));
		this.queries.awaitHealthy(Duration.ofSeconds(120));
		try (Admin admin = admin()) {
			long first = backlog(admin);
			long start = System.nanoTime();
			sleep(60_000);
			long second = backlog(admin);
			double seconds = (System.nanoTime() - start) / 1e9;
			line("");
			line("Live projection on its own, from a backlog of %,d events: %,.0f events/s over %.0f s", first,
					(first - second) / seconds, seconds);
		}
	}

	/** CPU seconds each process used since this was made (Linux /proc). */
	private static final class Cpu {

		private final Map<String, Long> pids = new java.util.LinkedHashMap<>();

		private final Map<String, Long> start = new java.util.HashMap<>();

		Cpu(ServiceProcess commands, ServiceProcess queries) {
			this.pids.put("command service", commands.pid());
			if (queries != null) {
				this.pids.put("query service", queries.pid());
			}
			this.pids.put("this JVM (Kafka, MongoDB-wire server, 32 clients)", ProcessHandle.current().pid());
			this.pids.forEach((name, pid) -> this.start.put(name, ticks(pid)));
			this.start.put("PostgreSQL", postgresTicks());
		}

		String perEvent(long events) {
			StringBuilder text = new StringBuilder();
			long total = 0;
			for (Map.Entry<String, Long> process : this.pids.entrySet()) {
				long used = ticks(process.getValue()) - this.start.get(process.getKey());
				total += used;
				text.append(String.format(Locale.ROOT, "%s %.2f ms, ", process.getKey(), used * 10.0 / events));
			}
			long postgres = postgresTicks() - this.start.get("PostgreSQL");
			total += postgres;
			text.append(String.format(Locale.ROOT, "PostgreSQL %.2f ms; in all %.2f ms", postgres * 10.0 / events,
					total * 10.0 / events));
			return text.toString();
		}

		/** user + system time in clock ticks (1/100 s on Linux). */
		private static long ticks(long pid) {
			try {
				String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			}
			catch (IOException | RuntimeException ex) {
				return 0;
			}
		}

		private static long postgresTicks() {
			long total = 0;
			try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
				for (Path process : processes.toList()) {
					String name = process.getFileName().toString();
					if (name.chars().allMatch(Character::isDigit)) {
						try {
							if (Files.readString(process.resolve("comm")).strip().equals("postgres")) {
								total += ticks(Long.parseLong(name));
							}
						}
						catch (IOException ex) {
							// gone meanwhile
						}
					}
				}
			}
			catch (IOException ex) {
				return 0;
			}
			return total;
		}

	}

	private Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.infra.kafkaBootstrapServers()));
	}

	/**
	 * Records on the topic that the projection has not consumed yet. Committed offsets
	 * stop short of a transaction's commit marker, so the difference of offsets never
	 * reaches zero: the records between are read (committed ones only) and counted, up to
	 * 10,000 per partition, beyond which the difference stands as the estimate.
	 */
	private long backlog(Admin admin) {
		try (KafkaConsumer<String, byte[]> counter = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.infra.kafkaBootstrapServers(),
						ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
						5000, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
						ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
			Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(PROJECTION_GROUP)
				.partitionsToOffsetAndMetadata()
				.get();
			List<TopicPartition> partitions = counter.partitionsFor(TOPIC)
				.stream()
				.map((info) -> new TopicPartition(TOPIC, info.partition()))
				.toList();
			Map<TopicPartition, Long> end = counter.endOffsets(partitions);
			long estimate = 0;
			List<TopicPartition> toRead = new ArrayList<>();
			counter.assign(partitions);
			for (TopicPartition partition : partitions) {
				OffsetAndMetadata done = committed.get(partition);
				long from = (done != null) ? done.offset() : 0;
				if (end.get(partition) - from > 10_000) {
					estimate += end.get(partition) - from;
				}
				else if (end.get(partition) > from) {
					counter.seek(partition, from);
					toRead.add(partition);
				}
			}
			counter.pause(partitions.stream().filter((p) -> !toRead.contains(p)).toList());
			long records = 0;
			while (toRead.stream().anyMatch((p) -> counter.position(p) < end.get(p))) {
				for (ConsumerRecord<String, byte[]> record : counter.poll(Duration.ofMillis(200))) {
					if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
						records++;
					}
				}
			}
			return estimate + records;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Whether the publisher's token has passed every stored event. */
	private boolean published() {
		return published(this.infra);
	}

	/** The same, of any embedded infrastructure. */
	static boolean published(EmbeddedInfrastructure infra) {
		String url = infra.postgresJdbcUrl();
		try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgresServer.USER,
				infra.postgresPassword());
				var statement = connection.createStatement();
				var rows = statement.executeQuery("SELECT (SELECT max(globalindex) FROM domainevententry),"
						+ " (SELECT convert_from(token, 'UTF8') FROM tokenentry WHERE processorname = 'kafka-publisher')")) {
			rows.next();
			long last = rows.getLong(1);
			String token = rows.getString(2);
			if (token == null) {
				return last == 0;
			}
			java.util.regex.Matcher index = java.util.regex.Pattern.compile("\"index\"\\s*:\\s*(\\d+)").matcher(token);
			return index.find() && Long.parseLong(index.group(1)) >= last;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	// plumbing

	/**
	 * Runs {@code clients} threads, each calling {@code call} until {@code time} is up
	 * (or it answers {@code null}); times each call.
	 */
	static Latencies drive(int clients, Duration time, IntFunction<Boolean> call) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		long start = System.nanoTime();
		long until = (time != null) ? start + time.toNanos() : Long.MAX_VALUE;
		List<Future<long[]>> results = new ArrayList<>();
		for (int c = 0; c < clients; c++) {
			int client = c;
			results.add(pool.submit(() -> {
				List<Long> micros = new ArrayList<>();
				long failed = 0;
				while (System.nanoTime() < until) {
					long begin = System.nanoTime();
					Boolean ok = call.apply(client);
					if (ok == null) {
						break;
					}
					if (ok) {
						micros.add((System.nanoTime() - begin) / 1000);
					}
					else {
						failed++;
					}
				}
				long[] all = new long[micros.size() + 1];
				all[0] = failed;
				for (int i = 0; i < micros.size(); i++) {
					all[i + 1] = micros.get(i);
				}
				return all;
			}));
		}
		List<Long> micros = new ArrayList<>();
		long failed = 0;
		for (Future<long[]> result : results) {
			long[] all = result.get();
			failed += all[0];
			for (int i = 1; i < all.length; i++) {
				micros.add(all[i]);
			}
		}
		pool.shutdown();
		return new Latencies(micros, failed, (System.nanoTime() - start) / 1e9);
	}

	/** Calls that succeeded, their latencies in microseconds, and the failures. */
	record Latencies(List<Long> micros, long failed, double seconds) {

		long count() {
			return this.micros.size();
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%,d in %.1f s = %,.0f/s, %s%s", count(), this.seconds,
					count() / this.seconds, describe(this.micros),
					(this.failed > 0) ? String.format(Locale.ROOT, ", %,d failed", this.failed) : "");
		}

		static String describe(Collection<Long> micros) {
			if (micros.isEmpty()) {
				return "no samples";
			}
			long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
			return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d samples)",
					percentile(sorted, 0.50) / 1000.0, percentile(sorted, 0.99) / 1000.0,
					sorted[sorted.length - 1] / 1000.0, sorted.length);
		}

		static long percentile(long[] sorted, double p) {
			return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
		}

	}

	private long stored() {
		return this.infra.storedEvents().count();
	}

	private HttpResponse<String> post(String path, String body) {
		return send(HttpRequest.newBuilder(this.commands.baseUri().resolve(path))
			.header("Content-Type", "application/json")
			.header("Authorization", this.users.withRole("ACCOUNT_TEAM").basicAuthorization())
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	private HttpResponse<String> query(String path) {
		return send(HttpRequest.newBuilder(this.queries.baseUri().resolve(path))
			.header("Authorization", this.users.withRole("DELIVERY_LEAD").basicAuthorization())
			.GET()
			.build());
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static JsonNode parse(String body) {
		try {
			return json.readTree(body);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void line(String format, Object... args) {
		String text = String.format(Locale.ROOT, format, args);
		this.report.add(text);
		System.out.println(text);
	}

	static Path jar(Path home, String module) {
		return home.resolve(module).resolve("target").resolve(module + "-exec.jar");
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static void deleteQuietly(Path dir) {
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory: the system cleans it eventually
		}
	}

}
