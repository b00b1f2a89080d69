package dev.trustledger.system;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP on the command service, a real Kafka broker in between, the projection on the
 * query service.
 */
class IncidentFlowsEndToEndIT {

	@TempDir
	static Path dataDir;

	static SystemUnderTest system;

	@BeforeAll
	static void start() {
		system = new SystemUnderTest("end-to-end", dataDir).start();
	}

	@AfterAll
	static void stop() {
		if (system != null) {
			system.close();
		}
	}

	@Test
	void aBrokenPromiseRecordedOverHttpReachesTheProjectionThroughKafka() {
		HttpResponse<String> opened = system.post("/api/engagements", """
				{"engagementId": "atlas-clinics", "clientName": "Atlas Clinics", "accountTeam": "Team Meridian",
				 "deliveryLead": "Noor Haddad", "sponsor": "CFO Lena Varga", "openedAt": "2026-03-02T09:00:00Z"}
				""");
		assertThat(opened.statusCode()).isEqualTo(201);
		assertThat(opened.headers().firstValue("Location")).hasValue("/api/engagements/atlas-clinics");

		HttpResponse<String> broken = system.post("/api/engagements/atlas-clinics/incidents", """
				{"incidentId": "0b7c6f64-2f4e-4a55-9d0b-5b8f3f7c2a10", "type": "PROMISE_BROKEN", "party": "VENDOR",
				 "severity": 4, "occurredAt": "2026-04-14T16:30:00Z",
				 "note": "The monthly reconciliation we committed to was skipped; our own audit found it."}
				""");
		assertThat(broken.statusCode()).isEqualTo(201);
		assertThat(SystemUnderTest.parse(broken.body()).path("sequence").asLong()).isEqualTo(1);

		JsonNode projection = await().atMost(Duration.ofSeconds(60))
			.until(() -> system.engagement("atlas-clinics"),
					(engagement) -> engagement != null && engagement.path("eventCount").asInt() == 2);
		assertThat(projection.path("clientName").asText()).isEqualTo("Atlas Clinics");
		assertThat(projection.path("sponsor").asText()).isEqualTo("CFO Lena Varga");
		assertThat(projection.path("lastSequence").asLong()).isEqualTo(1);
		assertThat(projection.path("brokenPromises").path("vendor").asInt()).isEqualTo(1);
		assertThat(projection.path("lastEventAt").asText()).isEqualTo("2026-04-14T16:30:00Z");
		JsonNode incident = SystemUnderTest.parse(system.query("/api/engagements/atlas-clinics/events").body())
			.path("events")
			.get(1);
		assertThat(incident.path("type").asText()).isEqualTo("trustledger.engagement.PromiseBroken.v1");
		assertThat(incident.path("data").path("severity").asInt()).isEqualTo(4);
		assertThat(incident.path("occurredAt").asText()).isEqualTo("2026-04-14T16:30:00Z");
		assertThat(projection.has("sequenceGaps")).isFalse();
	}

	@Test
	void aRejectedIncidentAnswersWithAProblemAndStoresNothing() {
		system.post("/api/engagements", """
				{"engagementId": "kestrel-bank", "clientName": "Kestrel Bank", "accountTeam": "Team Solent",
				 "deliveryLead": "Ivo Marsh", "openedAt": "2026-05-01T09:00:00Z"}
				""");
		HttpResponse<String> beforeOpening = system.post("/api/engagements/kestrel-bank/incidents", """
				{"incidentId": "6a0d9f1e-4c1b-4a8e-8b1d-1c2d3e4f5a61", "type": "PROMISE_BROKEN", "party": "CLIENT",
				 "severity": 2, "occurredAt": "2026-04-30T09:00:00Z"}
				""");
		HttpResponse<String> invalid = system.post("/api/engagements/kestrel-bank/incidents", """
				{"incidentId": "not-a-uuid", "type": "PROMISE_BROKEN", "party": "CLIENT", "severity": 2,
				 "occurredAt": "2026-05-03T09:00:00Z"}
				""");
		HttpResponse<String> unknown = system.post("/api/engagements/no-such-engagement/incidents", """
				{"incidentId": "6a0d9f1e-4c1b-4a8e-8b1d-1c2d3e4f5a62", "type": "PROMISE_BROKEN", "party": "CLIENT",
				 "severity": 2, "occurredAt": "2026-05-03T09:00:00Z"}
				""");

		assertProblem(beforeOpening, 422, "occurred-before-opening", "occurredAt");
		assertProblem(invalid, 400, "invalid-field", "incidentId");
		assertProblem(unknown, 404, "engagement-not-found", "engagementId");
		// a later valid incident gets sequence 1: none of the rejections stored an event
		HttpResponse<String> valid = system.post("/api/engagements/kestrel-bank/incidents", """
				{"incidentId": "6a0d9f1e-4c1b-4a8e-8b1d-1c2d3e4f5a63", "type": "PROMISE_BROKEN", "party": "CLIENT",
				 "severity": 2, "occurredAt": "2026-05-03T09:00:00Z"}
				""");
		assertThat(SystemUnderTest.parse(valid.body()).path("sequence").asLong()).isEqualTo(1);
		JsonNode projection = await().atMost(Duration.ofSeconds(60))
			.until(() -> system.engagement("kestrel-bank"),
					(engagement) -> engagement != null && engagement.path("eventCount").asInt() == 2);
		assertThat(projection.path("brokenPromises").path("client").asInt()).isEqualTo(1);
		assertThat(system.query("/api/engagements/no-such-engagement").statusCode()).isEqualTo(404);
	}

	private static void assertProblem(HttpResponse<String> response, int status, String code, String field) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = SystemUnderTest.parse(response.body());
		assertThat(problem.path("code").asText()).isEqualTo(code);
		assertThat(problem.path("field").asText()).isEqualTo(field);
		assertThat(problem.path("status").asInt()).isEqualTo(status);
	}

}
