package dev.trustledger.query.webhook;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.events.alert.TrustAlertRaised;
import org.bson.Document;

/**
 * The bodies a subscription is sent, in its format. A pure function of the alert, the
 * engagement as projected when the alert is read, and the dashboard's address, so that
 * every attempt of a delivery sends the same bytes.
 * <ul>
 * <li>{@code standard}: the Standard Webhooks shape, {@code type}, {@code timestamp}
 * (when the crossing occurred) and {@code data}: the alert, its engagement and people,
 * the scores, the events that caused it and a link to its timeline (docs/webhooks.md has
 * an example).</li>
 * <li>{@code slack}: a Slack incoming-webhook message, a fallback {@code text} and
 * blocks: a header, the fall with the engagement's people, the cause, a button to the
 * timeline.</li>
 * </ul>
 */
final class Payloads {

	static final String TYPE = "trust-alert.raised";

	static final String TEST_TYPE = "webhook.test";

	private final ObjectMapper objectMapper;

	private final URI dashboard;

	Payloads(ObjectMapper objectMapper, URI dashboard) {
		this.objectMapper = objectMapper;
		this.dashboard = dashboard;
	}

	AlertMessage message(Subscription.Format format, TrustAlertRaised alert, Document engagement) {
		String body = (format == Subscription.Format.SLACK) ? slack(alert, engagement, false)
				: standard(TYPE, alert, engagement);
		return new AlertMessage(alert.alertId(), alert.kind(), alert.engagementId(), body);
	}

	/** A test send: an alert that was never raised, marked as a test in both formats. */
	AlertMessage test(Subscription.Format format, TrustAlertRaised alert) {
		Document engagement = new Document("_id", alert.engagementId()).append("clientName", "Test client")
			.append("deliveryLead", "test")
			.append("accountTeam", "test");
		String body = (format == Subscription.Format.SLACK) ? slack(alert, engagement, true)
				: standard(TEST_TYPE, alert, engagement);
		return new AlertMessage(alert.alertId(), alert.kind(), alert.engagementId(), body);
	}

	private String standard(String type, TrustAlertRaised alert, Document engagement) {
		ObjectNode root = this.objectMapper.createObjectNode();
		root.put("type", type);
		root.put("timestamp", alert.occurredAt().toString());
		ObjectNode data = root.putObject("data");
		data.put("alertId", alert.alertId());
		data.put("kind", alert.kind());
		data.put("occurredAt", alert.occurredAt().toString());
		data.put("modelVersion", alert.modelVersion());
		ObjectNode about = data.putObject("engagement");
		about.put("id", alert.engagementId());
		about.put("clientName", engagement.getString("clientName"));
		about.put("deliveryLead", engagement.getString("deliveryLead"));
		about.put("accountTeam", engagement.getString("accountTeam"));
		about.put("status", engagement.getString("status"));
		ObjectNode scores = data.putObject("scores");
		scores.put("trust", alert.trust());
		scores.put("peakTrust", alert.peakTrust());
		scores.put("fall", alert.peakTrust().subtract(alert.trust()));
		scores.put("band", alert.band());
		Document current = engagement.get("scores", Document.class);
		if (current != null && current.get("mutualResponsibility") instanceof Number mutual) {
			scores.put("mutualResponsibility", BigDecimal.valueOf(mutual.doubleValue()));
		}
		ObjectNode cause = data.putObject("cause");
		cause.put("summary", summary(alert));
		ArrayNode events = cause.putArray("eventIds");
		if (alert.causedBy() != null) {
			alert.causedBy().forEach(events::add);
		}
		ObjectNode links = data.putObject("links");
		links.put("timeline", timeline(alert.engagementId()));
		links.put("alerts",
				this.dashboard.resolve("/api/alerts?engagementId=" + encode(alert.engagementId())).toString());
		return json(root);
	}

	private String slack(TrustAlertRaised alert, Document engagement, boolean test) {
		String client = engagement.getString("clientName");
		String name = (client != null) ? client : alert.engagementId();
		String headline = (test ? "Test: " : "") + "Trust alert: " + name;
		ObjectNode root = this.objectMapper.createObjectNode();
		root.put("text", escape(headline + ": " + summary(alert)));
		ArrayNode blocks = root.putArray("blocks");
		ObjectNode header = blocks.addObject();
		header.put("type", "header");
		header.putObject("text").put("type", "plain_text").put("text", abbreviate(headline, 150));
		ObjectNode section = blocks.addObject();
		section.put("type", "section");
		section.putObject("text").put("type", "mrkdwn").put("text", "*" + escape(summary(alert)) + "*");
		ArrayNode fields = section.putArray("fields");
		field(fields, "Band", alert.band());
		field(fields, "Kind", alert.kind());
		field(fields, "Delivery lead", engagement.getString("deliveryLead"));
		field(fields, "Account team", engagement.getString("accountTeam"));
		ObjectNode context = blocks.addObject();
		context.put("type", "context");
		context.putArray("elements")
			.addObject()
			.put("type", "mrkdwn")
			.put("text",
					escape("Caused by " + ((alert.causedBy() != null) ? alert.causedBy().size() : 0)
							+ " event(s) · occurred " + alert.occurredAt() + " · model " + alert.modelVersion() + " · "
							+ alert.alertId()));
		ObjectNode actions = blocks.addObject();
		actions.put("type", "actions");
		ObjectNode button = actions.putArray("elements").addObject();
		button.put("type", "button");
		button.putObject("text").put("type", "plain_text").put("text", "Open the timeline");
		button.put("url", timeline(alert.engagementId()));
		return json(root);
	}

	private static void field(ArrayNode fields, String label, String value) {
		fields.addObject()
			.put("type", "mrkdwn")
			.put("text", "*" + label + "*\n" + escape((value != null) ? value : "–"));
	}

	static String summary(TrustAlertRaised alert) {
		String trust = alert.trust().setScale(1, RoundingMode.HALF_UP).toPlainString();
		String peak = alert.peakTrust().setScale(1, RoundingMode.HALF_UP).toPlainString();
		return switch (alert.kind()) {
			case "ENTERED_AT_RISK" -> "Trust entered the at-risk band at " + trust + " (from " + peak + ")";
			case "TRUST_DROP" -> "Trust fell from " + peak + " to " + trust;
			case "MUTUAL_RESPONSIBILITY_LOW" -> "Mutual responsibility entered its low band (trust " + trust + ")";
			case "SPONSOR_LOST" -> "The client's sponsor was lost (trust " + trust + ")";
			case "ENGAGEMENT_STALE" ->
				"The engagement went stale on " + alert.occurredAt().atOffset(java.time.ZoneOffset.UTC).toLocalDate()
						+ ": nothing had happened in it for the model's stale period (trust " + trust + ")";
			case "PROMISE_OVERDUE" -> "A promise is overdue: neither kept nor broken by "
					+ alert.occurredAt().atOffset(java.time.ZoneOffset.UTC).toLocalDate() + " (trust " + trust + ")";
			default -> "Trust " + trust + " (" + alert.kind() + ")";
		};
	}

	private String timeline(String engagementId) {
		return this.dashboard.resolve("/engagement.html?id=" + encode(engagementId)).toString();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/** Slack's mrkdwn: {@code &}, {@code <} and {@code >} are control characters. */
	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	private static String abbreviate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max - 1) + "…";
	}

	private String json(ObjectNode root) {
		try {
			return this.objectMapper.writeValueAsString(root);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
