package dev.trustledger.support;

import com.mongodb.client.MongoClient;
import org.bson.Document;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * MongoDB health by the {@code ping} command. Spring Boot's own indicator sends
 * {@code hello}, which the embedded MongoDB-wire server does not know; {@code ping} works
 * on it and on a real replica set alike.
 */
public class MongoPingHealthIndicator extends AbstractHealthIndicator {

	private final MongoClient client;

	private final String database;

	public MongoPingHealthIndicator(MongoClient client, String database) {
		super("MongoDB health check failed");
		this.client = client;
		this.database = database;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Document reply = this.client.getDatabase(this.database).runCommand(new Document("ping", 1));
		builder.status((reply.get("ok", Number.class).intValue() == 1) ? "UP" : "DOWN")
			.withDetail("database", this.database);
	}

}
