package dev.trustledger.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky's binaries from Maven Central), holding the command
 * service's event store. Its data directory is kept across restarts.
 * <p>
 * It listens on the loopback interface only, and asks for a password on every connection
 * (scram-sha-256), the socket included: the library sets up a superuser that any local
 * user may log in as, and a PostgreSQL superuser can run programs as the launcher's user.
 * The password is generated on first start and kept, readable by its owner only, beside
 * the data directory.
 * <p>
 * zonky's defaults are for throwaway tests (data directory deleted on close, fsync and
 * synchronous commit off). Here the data is kept and both are on: a command answered 201
 * is on disk, whatever happens to the machine next. That costs 5–15 % of command
 * throughput on this kind of machine (docs/performance.md).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

	/** The database the services use. */
	public static final String DATABASE = "trustledger";

	/** initdb's superuser, the one the services connect as. */
	public static final String USER = "postgres";

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

	private static final String HOST = "127.0.0.1";

	private final Path dataDir;

	private final Path logFile;

	private final int port;

	private final String password;

	private final Path passwordFile;

	private EmbeddedPostgres server;

	/**
	 * @param dataDir PostgreSQL's data directory
	 * @param passwordFile where the superuser's password is kept (created on first start)
	 * @param logFile where the server writes its log
	 * @param port where it listens on 127.0.0.1
	 */
	public EmbeddedPostgresServer(Path dataDir, Path passwordFile, Path logFile, int port) {
		this.dataDir = dataDir;
		this.logFile = logFile;
		this.port = port;
		this.passwordFile = passwordFile;
		this.password = password(passwordFile);
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
				// initdb sets the password and password authentication for every
				// connection
				// (these come after the library's own "-A trust" and win): there is never
				// a
				// moment when the server trusts anyone; no socket, only 127.0.0.1
				.setLocaleConfig("auth", "scram-sha-256")
				.setLocaleConfig("pwfile", this.passwordFile.toString())
				.setServerConfig("unix_socket_directories", "''")
				// how the library checks that the server is up
				.setConnectConfig("password", this.password)
				.start();
			createDatabaseIfMissing();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("PostgreSQL could not start (its log: " + this.logFile + ")", ex);
		}
		log.info("PostgreSQL listening on {} with data in {}", jdbcUrl(), this.dataDir);
	}

	private static String password(Path file) {
		try {
			if (Files.exists(file)) {
				String kept = Files.readString(file).strip();
				if (!kept.matches("[0-9a-f]{36}")) {
					throw new IllegalStateException("The database password in " + file
							+ " is not one this launcher wrote; restore it, or start on a new data directory");
				}
				return kept;
			}
			byte[] bytes = new byte[18];
			new SecureRandom().nextBytes(bytes);
			String password = HexFormat.of().formatHex(bytes);
			Files.createDirectories(file.getParent());
			try {
				// readable by its owner only from the moment it exists
				Files.createFile(file,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			}
			catch (UnsupportedOperationException ex) {
				// not a POSIX file system: its own defaults apply
				Files.createFile(file);
			}
			Files.writeString(file, password + "\n");
			return password;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The superuser's password. */
	public String password() {
		return this.password;
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

	/**
	 * The JDBC URL of the services' database, without credentials ({@link #USER},
	 * {@link #password()}).
	 */
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
