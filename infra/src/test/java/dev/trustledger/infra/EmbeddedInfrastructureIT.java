package dev.trustledger.infra;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedInfrastructureIT {

	@TempDir
	Path dataDir;

	@Test
	void kafkaRecordsPostgresRowsAndMongoDocumentsSurviveARestart() throws Exception {
		EmbeddedInfrastructure.Settings settings = EmbeddedInfrastructure.Settings.onFreePorts(this.dataDir);
		try (EmbeddedInfrastructure infra = new EmbeddedInfrastructure(settings).start()) {
			try (Admin admin = Admin
				.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()))) {
				admin.createTopics(List.of(new NewTopic("history", 1, (short) 1))).all().get();
			}
			try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(infra))) {
				producer.send(new ProducerRecord<>("history", "engagement-1", "first fact")).get();
			}
			try (MongoClient client = MongoClients.create(infra.mongoConnectionString())) {
				client.getDatabase("trustledger").getCollection("things").insertOne(new Document("_id", "kept"));
			}
			try (Connection connection = postgres(infra); Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE things (id TEXT PRIMARY KEY)");
				statement.execute("INSERT INTO things VALUES ('kept')");
			}
		}

		try (EmbeddedInfrastructure infra = new EmbeddedInfrastructure(settings).start()) {
			assertThat(readAll(infra, "history")).containsExactly("engagement-1=first fact");
			try (MongoClient client = MongoClients.create(infra.mongoConnectionString())) {
				assertThat(client.getDatabase("trustledger").getCollection("things").find().first())
					.containsEntry("_id", "kept");
			}
			try (Connection connection = postgres(infra);
					ResultSet rows = connection.createStatement().executeQuery("SELECT id FROM things")) {
				assertThat(rows.next()).isTrue();
				assertThat(rows.getString(1)).isEqualTo("kept");
			}
			// the superuser needs its password, on the loopback interface as anywhere
			assertThatThrownBy(
					() -> DriverManager.getConnection(infra.postgresJdbcUrl(), EmbeddedPostgresServer.USER, ""))
				.isInstanceOf(SQLException.class);
			assertThatThrownBy(() -> DriverManager.getConnection(infra.postgresJdbcUrl(), EmbeddedPostgresServer.USER,
					"not-" + infra.postgresPassword()))
				.isInstanceOf(SQLException.class)
				.hasMessageContaining("password authentication failed");
		}
	}

	@Test
	void aTakenPostgresPortIsReportedByNumberWithTheOptionThatMovesIt() throws Exception {
		EmbeddedInfrastructure.Settings free = EmbeddedInfrastructure.Settings.onFreePorts(this.dataDir);
		try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
			EmbeddedInfrastructure.Settings settings = new EmbeddedInfrastructure.Settings(this.dataDir,
					free.kafkaPort(), free.kafkaControllerPort(), free.mongoPort(), taken.getLocalPort());
			assertThatThrownBy(() -> new EmbeddedInfrastructure(settings).start())
				.isInstanceOf(PortUnavailableException.class)
				.hasMessageContaining("PostgreSQL")
				.hasMessageContaining(":" + taken.getLocalPort())
				.hasMessageContaining("--postgres-port");
		}
	}

	private static Connection postgres(EmbeddedInfrastructure infra) throws SQLException {
		return DriverManager.getConnection(infra.postgresJdbcUrl(), EmbeddedPostgresServer.USER,
				infra.postgresPassword());
	}

	@Test
	void aTakenPortIsReportedByNumberWithTheOptionThatMovesIt() throws Exception {
		EmbeddedInfrastructure.Settings free = EmbeddedInfrastructure.Settings.onFreePorts(this.dataDir);
		try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
			EmbeddedInfrastructure.Settings settings = new EmbeddedInfrastructure.Settings(this.dataDir,
					free.kafkaPort(), free.kafkaControllerPort(), taken.getLocalPort(), free.postgresPort());
			assertThatThrownBy(() -> new EmbeddedInfrastructure(settings).start())
				.isInstanceOf(PortUnavailableException.class)
				.hasMessageContaining("MongoDB")
				.hasMessageContaining(":" + taken.getLocalPort())
				.hasMessageContaining("--mongo-port");
		}
	}

	private static Properties producerProps(EmbeddedInfrastructure infra) {
		Properties props = new Properties();
		props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
		props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		props.put(ProducerConfig.ACKS_CONFIG, "all");
		return props;
	}

	private static List<String> readAll(EmbeddedInfrastructure infra, String topic) {
		Properties props = new Properties();
		props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
		props.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-check");
		props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
			consumer.subscribe(Set.of(topic));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (System.nanoTime() < deadline) {
				List<String> seen = new java.util.ArrayList<>();
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
					seen.add(record.key() + "=" + record.value());
				}
				if (!seen.isEmpty()) {
					return seen;
				}
			}
			return List.of();
		}
	}

}
