package dev.trustledger.query.webhook;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

import org.bson.Document;

/**
 * A subscription to trust alerts: where they go, which of them, and in which format.
 *
 * @param id {@code wh_} and random characters
 * @param url where alerts are posted
 * @param description what the subscription is for, shown in lists
 * @param kinds the alert kinds sent; empty for every kind
 * @param deliveryLeads only alerts of engagements led by one of these; empty for any
 * @param accountTeams only alerts of engagements of one of these teams; empty for any
 * @param format {@code standard} (the alert as JSON) or {@code slack} (a Slack
 * incoming-webhook message with blocks)
 * @param secrets the signing secrets, the current one first; a rotated-out one stays
 * until its {@code expiresAt}
 * @param enabled whether alerts are sent
 * @param disabledReason why it was disabled, when it is
 * @param consecutiveFailures failed attempts since the last success
 * @param owner the user who created it: a delivery lead sees and changes only their own
 */
record Subscription(String id, URI url, String description, Set<String> kinds, Set<String> deliveryLeads,
		Set<String> accountTeams, Format format, List<Secret> secrets, boolean enabled, String disabledReason,
		Instant disabledAt, int consecutiveFailures, String owner, Instant createdAt, Instant updatedAt) {

	static final String COLLECTION = "webhook_subscriptions";

	enum Format {

		STANDARD, SLACK

	}

	/** A signing secret; {@code expiresAt} is {@code null} for the current one. */
	record Secret(String value, Instant createdAt, Instant expiresAt) {

		boolean validAt(Instant at) {
			return this.expiresAt == null || at.isBefore(this.expiresAt);
		}

	}

	/** Whether an alert of this kind, on an engagement with these people, is sent. */
	boolean matches(String kind, String deliveryLead, String accountTeam) {
		return (this.kinds.isEmpty() || this.kinds.contains(kind))
				&& (this.deliveryLeads.isEmpty() || this.deliveryLeads.contains(deliveryLead))
				&& (this.accountTeams.isEmpty() || this.accountTeams.contains(accountTeam));
	}

	/** The secrets that sign at {@code at}: the current one and any still overlapping. */
	List<String> signingSecrets(Instant at) {
		return this.secrets.stream().filter((secret) -> secret.validAt(at)).map(Secret::value).toList();
	}

	Document document() {
		List<Document> secretDocuments = new ArrayList<>();
		for (Secret secret : this.secrets) {
			secretDocuments.add(new Document("value", secret.value()).append("createdAt", date(secret.createdAt()))
				.append("expiresAt", date(secret.expiresAt())));
		}
		return new Document("_id", this.id).append("url", this.url.toString())
			.append("description", this.description)
			.append("kinds", new ArrayList<>(this.kinds))
			.append("deliveryLeads", new ArrayList<>(this.deliveryLeads))
			.append("accountTeams", new ArrayList<>(this.accountTeams))
			.append("format", this.format.name())
			.append("secrets", secretDocuments)
			.append("enabled", this.enabled)
			.append("disabledReason", this.disabledReason)
			.append("disabledAt", date(this.disabledAt))
			.append("consecutiveFailures", this.consecutiveFailures)
			.append("owner", this.owner)
			.append("createdAt", date(this.createdAt))
			.append("updatedAt", date(this.updatedAt));
	}

	static Subscription of(Document document) {
		List<Secret> secrets = new ArrayList<>();
		for (Document secret : document.getList("secrets", Document.class, List.of())) {
			secrets.add(new Secret(secret.getString("value"), instant(secret.getDate("createdAt")),
					instant(secret.getDate("expiresAt"))));
		}
		return new Subscription(document.getString("_id"), URI.create(document.getString("url")),
				document.getString("description"), Set.copyOf(document.getList("kinds", String.class, List.of())),
				Set.copyOf(document.getList("deliveryLeads", String.class, List.of())),
				Set.copyOf(document.getList("accountTeams", String.class, List.of())),
				Format.valueOf(document.getString("format")), List.copyOf(secrets),
				document.getBoolean("enabled", true), document.getString("disabledReason"),
				instant(document.getDate("disabledAt")), document.getInteger("consecutiveFailures", 0),
				document.getString("owner"), instant(document.getDate("createdAt")),
				instant(document.getDate("updatedAt")));
	}

	private static Date date(Instant instant) {
		return (instant != null) ? Date.from(instant) : null;
	}

	private static Instant instant(Date date) {
		return (date != null) ? date.toInstant() : null;
	}

}
