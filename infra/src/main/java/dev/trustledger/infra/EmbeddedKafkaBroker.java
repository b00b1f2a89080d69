package dev.trustledger.infra;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one
 * process), keeping its log under one directory so that topics survive a restart.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

	private static final String HOST = "127.0.0.1";

	private static final int NODE_ID = 1;

	private final Path logDir;

	private final int port;

	private final int controllerPort;

	private KafkaRaftServer server;

	public EmbeddedKafkaBroker(Path logDir, int port, int controllerPort) {
		this.logDir = logDir;
		this.port = port;
		this.controllerPort = controllerPort;
	}

	public void start() {
		Ports.requireFree("Kafka", HOST, this.port, "--kafka-port");
		Ports.requireFree("Kafka controller", HOST, this.controllerPort, "--kafka-controller-port");
		KafkaConfig config = new KafkaConfig(brokerProperties(), false);
		formatOnFirstStart();
		this.server = new KafkaRaftServer(config, Time.SYSTEM);
		this.server.startup();
		log.info("Kafka broker (KRaft) listening on {} with data in {}", bootstrapServers(), this.logDir);
	}

	public String bootstrapServers() {
		return HOST + ":" + this.port;
	}

	private Map<String, Object> brokerProperties() {
		Map<String, Object> props = new HashMap<>();
		props.put("process.roles", "broker,controller");
		props.put("node.id", String.valueOf(NODE_ID));
		props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + this.controllerPort);
		props.put("controller.listener.names", "CONTROLLER");
		props.put("listeners",
				"PLAINTEXT://" + HOST + ":" + this.port + ",CONTROLLER://" + HOST + ":" + this.controllerPort);
		props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + this.port);
		props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
		props.put("inter.broker.listener.name", "PLAINTEXT");
		props.put("log.dirs", this.logDir.toString());
		props.put("offsets.topic.replication.factor", "1");
		props.put("offsets.topic.num.partitions", "5");
		props.put("transaction.state.log.replication.factor", "1");
		props.put("transaction.state.log.min.isr", "1");
		props.put("group.initial.rebalance.delay.ms", "0");
		// Topics are declared by the services with their own retention; nothing appears
		// by accident.
		props.put("auto.create.topics.enable", "false");
		// the log cleaner only compacts the small internal offsets topic here: 16 MB
		// instead of the default 128 MB of heap for its buffer
		props.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
		return props;
	}

	private void formatOnFirstStart() {
		if (Files.exists(this.logDir.resolve("meta.properties"))) {
			return;
		}
		try {
			Files.createDirectories(this.logDir);
			new Formatter().setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
				.setNodeId(NODE_ID)
				.setClusterId(Uuid.randomUuid().toString())
				.setDirectories(List.of(this.logDir.toString()))
				.setMetadataLogDirectory(this.logDir.toString())
				.setControllerListenerName("CONTROLLER")
				.setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
				.run();
			log.info("Formatted new KRaft storage in {}", this.logDir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not format KRaft storage in " + this.logDir, ex);
		}
	}

	@Override
	public void close() {
		if (this.server != null) {
			this.server.shutdown();
			this.server.awaitShutdown();
			this.server = null;
			log.info("Kafka broker stopped");
		}
	}

}
