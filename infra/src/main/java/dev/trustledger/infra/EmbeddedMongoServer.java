package dev.trustledger.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.trustledger.infra.mongo.IndexedH2Backend;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MongoDB wire-protocol server (mongo-java-server) whose H2 backend keeps every
 * database in one file, so data survives a restart. It has no transactions, no change
 * streams and ignores non-unique secondary indexes: read by {@code _id}.
 */
public final class EmbeddedMongoServer implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoServer.class);

	private static final String HOST = "127.0.0.1";

	/**
	 * H2's page cache, in MB: H2's default of 16, or system property
	 * {@code trustledger.mongo.cache-mb} when above 0. Under reads spread over 10,000
	 * engagements most pages a read brings into the cache are new, and each young
	 * collection copies those still cached: the larger the cache, the longer every pause
	 * of the JVM that hosts the store, and every store request waits for them. Under the
	 * read load driver G1's young pauses in that JVM were 15-101 ms (p50 31 and 39, two
	 * runs) with 16 MB, 25-182 ms (p50 78) with 128 MB and 100-640 ms with 1,024 MB
	 * (docs/performance.md, reads, runs 18 to 21). The same driver's import and rebuild
	 * of 1,009,900 events were no slower with 16 MB (7,420 events/s and 67.8 s, against
	 * 7,131 and 66.0 s); the rebuild benchmark, where 64 MB and 128 MB measured the same,
	 * has not been run with 16 MB.
	 */
	static final int CACHE_MB = cacheMegabytes(Integer.getInteger("trustledger.mongo.cache-mb", 0));

	static int cacheMegabytes(int asked) {
		return (asked > 0) ? asked : 16;
	}

	private final Path dataFile;

	private final int port;

	private MongoServer server;

	private H2Backend backend;

	private int boundPort;

	public EmbeddedMongoServer(Path dataFile, int port) {
		this.dataFile = dataFile;
		this.port = port;
	}

	public void start() {
		Ports.requireFree("MongoDB", HOST, this.port, "--mongo-port");
		try {
			Files.createDirectories(this.dataFile.getParent());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		MVStore store = new MVStore.Builder().fileName(this.dataFile.toString()).cacheSize(CACHE_MB).open();
		this.backend = new IndexedH2Backend(store);
		this.server = new MongoServer(this.backend);
		this.server.bind(HOST, this.port);
		InetSocketAddress address = this.server.getLocalAddress();
		this.boundPort = address.getPort();
		log.info("MongoDB wire server listening on {} with data in {}", connectionString(), this.dataFile);
	}

	/** The MongoDB connection string of this server, without a database name. */
	public String connectionString() {
		return "mongodb://" + HOST + ":" + this.boundPort;
	}

	@Override
	public void close() {
		if (this.server != null) {
			this.server.shutdown();
			this.server = null;
			log.info("MongoDB wire server stopped");
		}
	}

}
