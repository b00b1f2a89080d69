package dev.trustledger.query.alert;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import dev.trustledger.infra.EmbeddedMongoServer;
import dev.trustledger.infra.Ports;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generation projected by a version that kept alerts only in the alerts collection is
 * given, once, what this version reads: each engagement's alerts by month and the latest
 * of each kind on its document.
 */
class AlertsByEngagementUpgradeIT {

	@TempDir
	Path dataDir;

	@Test
	void alertsKeptOnlyInTheAlertsCollectionAreKeptByEngagementOnce() {
		try (EmbeddedMongoServer server = new EmbeddedMongoServer(this.dataDir.resolve("mongo.mv"),
				Ports.freePorts(1)[0])) {
			server.start();
			try (MongoClient client = MongoClients.create(server.connectionString())) {
				MongoDatabase database = client.getDatabase("upgrade");
				Generation generation = new Generation(7, "v1", new ScoringEngine(ScoringModel.defaultModel()),
						database);
				generation.collection("engagements")
					.insertOne(new Document("_id", "legacy").append("lastSequence", 9)
						.append("alertState", new Document("dropped", true).append("atRisk", false)));
				generation.collection(Alerts.COLLECTION)
					.insertMany(List.of(alert("legacy:TRUST_DROP:3", "TRUST_DROP", "2026-01-10T00:00:00Z"),
							alert("legacy:ENTERED_AT_RISK:4", "ENTERED_AT_RISK", "2026-01-11T00:00:00Z"),
							alert("legacy:TRUST_DROP:9", "TRUST_DROP", "2026-03-02T00:00:00Z")));

				AlertsByEngagementUpgrade.upgrade(generation);

				Alerts alerts = new Alerts(null, null, "unused", null);
				List<String> months = List.of("2026-01", "2026-02", "2026-03");
				assertThat(alerts.list(generation, "legacy", months, 10)).extracting((alert) -> alert.get("alertId"))
					.containsExactly("legacy:TRUST_DROP:9", "legacy:ENTERED_AT_RISK:4", "legacy:TRUST_DROP:3");
				assertThat(alerts.raisedAt(generation, "legacy", months)).isEqualTo(Set.of(3L, 4L, 9L));
				assertThat(alerts.list(generation, "legacy", List.of("2026-03"), 10)).hasSize(1);
				Document engagement = generation.collection("engagements").find(Filters.eq("_id", "legacy")).first();
				Document latest = engagement.get("latestAlerts", Document.class);
				assertThat(latest.get("TRUST_DROP", Document.class).getString("alertId"))
					.isEqualTo("legacy:TRUST_DROP:9");
				assertThat(latest.get("ENTERED_AT_RISK", Document.class).getString("alertId"))
					.isEqualTo("legacy:ENTERED_AT_RISK:4");

				// done once: a generation that keeps alerts by engagement is left alone
				generation.collection(Alerts.COLLECTION)
					.insertOne(alert("legacy:TRUST_DROP:12", "TRUST_DROP", "2026-03-05T00:00:00Z"));
				AlertsByEngagementUpgrade.upgrade(generation);
				assertThat(alerts.raisedAt(generation, "legacy", months)).isEqualTo(Set.of(3L, 4L, 9L));
			}
		}
	}

	@Test
	void theFirstAlertKeptUnderAnIdStaysAsInTheAlertsCollectionAndARebuild() {
		try (EmbeddedMongoServer server = new EmbeddedMongoServer(this.dataDir.resolve("mongo.mv"),
				Ports.freePorts(1)[0])) {
			server.start();
			try (MongoClient client = MongoClients.create(server.connectionString())) {
				Generation generation = new Generation(8, "v1", new ScoringEngine(ScoringModel.defaultModel()),
						client.getDatabase("first-wins"));
				Alerts alerts = new Alerts(null, null, "unused", null);
				Instant at = Instant.parse("2026-02-03T00:00:00Z");
				// the same crossing raised again with other figures, as a redelivery
				// after a
				// backdated event can
				alerts.raise(generation, List.of(raised("40.00", at), raised("35.00", at)), false);
				Document kept = generation.collection(Alerts.COLLECTION).find().first();
				List<Document> byEngagement = alerts.list(generation, "e", List.of("2026-02"), 10);
				assertThat(byEngagement).hasSize(1);
				assertThat(byEngagement.get(0).get("trust")).isEqualTo(40.0).isEqualTo(kept.get("trust"));
				assertThat(Alerts.byEngagement("e", java.util.Map.of("TRUST_DROP-5", kept)))
					.extracting((bucket) -> bucket.getString("_id"))
					.containsExactly("e#2026-02");
			}
		}
	}

	private static dev.trustledger.events.alert.TrustAlertRaised raised(String trust, Instant at) {
		return new dev.trustledger.events.alert.TrustAlertRaised("e", "e:TRUST_DROP:5", "TRUST_DROP",
				new java.math.BigDecimal(trust), new java.math.BigDecimal("70.00"), "AT_RISK", List.of("e1"), at, "v1");
	}

	private static Document alert(String alertId, String kind, String occurredAt) {
		return new Document("_id", alertId).append("engagementId", "legacy")
			.append("alertId", alertId)
			.append("kind", kind)
			.append("trust", 40.0)
			.append("peakTrust", 60.0)
			.append("band", "AT_RISK")
			.append("causedBy", List.of("e1"))
			.append("occurredAt", Date.from(Instant.parse(occurredAt)))
			.append("modelVersion", "v1");
	}

}
