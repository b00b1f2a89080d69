package dev.trustledger.query.webhook;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.events.alert.TrustAlertRaised;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadsTest {

	private static final ObjectMapper json = new ObjectMapper();

	private final Payloads payloads = new Payloads(json, URI.create("https://trust.example.com"));

	private final TrustAlertRaised alert = new TrustAlertRaised("harbour & co", "harbour & co:TRUST_DROP:4",
			"TRUST_DROP", new BigDecimal("41.26"), new BigDecimal("62.5"), "AT_RISK", List.of("e3", "e4"),
			Instant.parse("2026-01-05T00:00:00Z"), "v1");

	private final Document engagement = new Document("_id", "harbour & co").append("clientName", "Harbour <Freight>")
		.append("deliveryLead", "dan")
		.append("accountTeam", "Logistics")
		.append("status", "OPEN")
		.append("scores", new Document("mutualResponsibility", 38.5));

	@Test
	void theStandardBodyCarriesTheAlertItsEngagementScoresCauseAndLinks() throws Exception {
		AlertMessage message = this.payloads.message(Subscription.Format.STANDARD, this.alert, this.engagement);
		JsonNode body = json.readTree(message.body());

		assertThat(message.alertId()).isEqualTo("harbour & co:TRUST_DROP:4");
		assertThat(body.path("type").asText()).isEqualTo("trust-alert.raised");
		assertThat(body.path("timestamp").asText()).isEqualTo("2026-01-05T00:00:00Z");
		JsonNode data = body.path("data");
		assertThat(data.path("engagement").path("clientName").asText()).isEqualTo("Harbour <Freight>");
		assertThat(data.path("scores").path("fall").decimalValue()).isEqualByComparingTo("21.24");
		assertThat(data.path("scores").path("mutualResponsibility").decimalValue()).isEqualByComparingTo("38.5");
		assertThat(data.path("cause").path("summary").asText()).isEqualTo("Trust fell from 62.5 to 41.3");
		assertThat(data.path("cause").path("eventIds").get(1).asText()).isEqualTo("e4");
		assertThat(data.path("links").path("timeline").asText())
			.isEqualTo("https://trust.example.com/engagement.html?id=harbour+%26+co");
		// the same alert gives the same bytes: every attempt sends what the first did
		assertThat(this.payloads.message(Subscription.Format.STANDARD, this.alert, this.engagement).body())
			.isEqualTo(message.body());
	}

	@Test
	void theSlackMessageEscapesWhatTheClientNamedAndLinksTheTimeline() throws Exception {
		JsonNode body = json
			.readTree(this.payloads.message(Subscription.Format.SLACK, this.alert, this.engagement).body());

		assertThat(body.path("text").asText())
			.isEqualTo("Trust alert: Harbour &lt;Freight&gt;: Trust fell from 62.5 to 41.3");
		assertThat(body.path("blocks").get(0).path("text").path("type").asText()).isEqualTo("plain_text");
		assertThat(body.path("blocks").get(0).path("text").path("text").asText())
			.isEqualTo("Trust alert: Harbour <Freight>");
		assertThat(body.path("blocks").get(2).path("elements").get(0).path("text").asText())
			.contains("harbour &amp; co:TRUST_DROP:4");
		assertThat(body.path("blocks").get(3).path("elements").get(0).path("url").asText())
			.isEqualTo("https://trust.example.com/engagement.html?id=harbour+%26+co");
	}

	@Test
	void anEngagementNotProjectedYetStillGivesAMessage() throws Exception {
		JsonNode body = json.readTree(
				this.payloads.message(Subscription.Format.STANDARD, this.alert, new Document("_id", "harbour & co"))
					.body());

		assertThat(body.path("data").path("engagement").path("id").asText()).isEqualTo("harbour & co");
		assertThat(body.path("data").path("scores").has("mutualResponsibility")).isFalse();
	}

}
