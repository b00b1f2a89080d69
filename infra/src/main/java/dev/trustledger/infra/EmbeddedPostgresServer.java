package dev.trustledger.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky's binaries from Maven Central), holding the command
 * service's event store. Its data directory is kept across restarts.
 * <p>
 * zonky's defaults are for throwaway tests (data directory deleted on close, fsync and
 * synchronous commit off). Here the data is kept and both are on: a command answered 201
 * is on disk, whatever happens to the machine next. That costs 5–15 % of command
 * throughput on this kind of machine (docs/performance.md).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

	/** The database the services use. */
	public static final String DATABASE = "trustledger";

	/**
	 * initdb's superuser; the server trusts connections from the loopback interface only.
	 */
	public static final String USER = "postgres";

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

	private static final String HOST = "127.0.0.1";

	private final Path dataDir;

	private final Path logFile;

	private final int port;

	private EmbeddedPostgres server;

	public EmbeddedPostgresServer(Path dataDir, Path logFile, int port) {
		this.dataDir = dataDir;
		this.logFile = logFile;
		this.port = port;
	}

	public void start() {
		Ports.requireFree("PostgreSQL", HOST, this.port, "--postgres-port");
		try {
			Files.createDirectories(this.dataDir);
			Files.createDirectories(this.logFile.getParent());
			this.server = EmbeddedPostgres.builder()
				.setDataDirectory(this.dataDir)
				.setCleanDataDirectory(false)
				.setPort(this.port)
				// the first start extracts about 60 MB of binaries
				.setPGStartupWait(Duration.ofSeconds(60))
				.setServerConfig("listen_addresses", HOST)
				// durable: zonky passes -F (fsync off) first; these come after it and win
				.setServerConfig("fsync", "on")
				.setServerConfig("synchronous_commit", "on")
				.setServerConfig("full_page_writes", "on")
				.setServerConfig("max_connections", "200")
				.setOutputRedirector(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
				.setErrorRedirector(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
				.start();
			createDatabaseIfMissing();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("PostgreSQL could not start (its log: " + this.logFile + ")", ex);
		}
		log.info("PostgreSQL listening on {} with data in {}", jdbcUrl(), this.dataDir);
	}

	private void createDatabaseIfMissing() {
		try (Connection connection = this.server.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			try (ResultSet existing = statement
				.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
				if (existing.next()) {
					return;
				}
			}
			statement.execute("CREATE DATABASE " + DATABASE);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create the database " + DATABASE, ex);
		}
	}

	/** The JDBC URL of the services' database, without credentials. */
	public String jdbcUrl() {
		return "jdbc:postgresql://" + HOST + ":" + this.port + "/" + DATABASE;
	}

	@Override
	public void close() {
		if (this.server != null) {
			try {
				this.server.close();
			}
			catch (IOException ex) {
				log.warn("PostgreSQL did not stop cleanly: {}", ex.getMessage());
			}
			this.server = null;
			log.info("PostgreSQL stopped");
		}
	}

}
