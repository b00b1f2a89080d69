package dev.trustledger.cli;

import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Webhook subscriptions to trust alerts, for admins and delivery leads: the query
 * service's {@code /api/webhooks}.
 */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
		description = "Send trust alerts to a URL (admins and delivery leads): subscribe, list, test, rotate the secret, read the delivery log.",
		subcommands = { Webhooks.Create.class, Webhooks.ListSubscriptions.class, Webhooks.Show.class,
				Webhooks.Update.class, Webhooks.Delete.class, Webhooks.Enable.class, Webhooks.Disable.class,
				Webhooks.RotateSecret.class, Webhooks.Test.class, Webhooks.Deliveries.class })
final class Webhooks implements Callable<Integer> {

	private static final ObjectMapper json = new ObjectMapper();

	@ParentCommand
	TrustLedgerCli cli;

	@Override
	public Integer call() {
		CommandLine.usage(this, this.cli.out);
		return CommandLine.ExitCode.USAGE;
	}

	/** What a subscription sends where: the options of create and update. */
	static final class Settings {

		@Option(names = "--url", required = true, description = "Where alerts are posted (http or https)")
		String url;

		@Option(names = "--description", description = "What it is for, shown in lists")
		String description;

		@Option(names = "--kind",
				description = "An alert kind to send: TRUST_DROP, ENTERED_AT_RISK, MUTUAL_RESPONSIBILITY_LOW, SPONSOR_LOST, ENGAGEMENT_STALE or PROMISE_OVERDUE (repeatable; default: every kind)")
		List<String> kinds = List.of();

		@Option(names = "--delivery-lead",
				description = "Only alerts of engagements led by this delivery lead (repeatable; default: any)")
		List<String> deliveryLeads = List.of();

		@Option(names = "--account-team",
				description = "Only alerts of engagements of this account team (repeatable; default: any)")
		List<String> accountTeams = List.of();

		@Option(names = "--format",
				description = "standard (the alert as JSON) or slack (a Slack incoming-webhook message); default: standard")
		String format;

		String body() {
			ObjectNode body = json.createObjectNode();
			body.put("url", this.url);
			if (this.description != null) {
				body.put("description", this.description);
			}
			this.kinds.forEach(body.putArray("kinds")::add);
			this.deliveryLeads.forEach(body.putArray("deliveryLeads")::add);
			this.accountTeams.forEach(body.putArray("accountTeams")::add);
			if (this.format != null) {
				body.put("format", this.format);
			}
			return body.toString();
		}

	}

	static void print(TrustLedgerCli cli, JsonNode subscription) {
		cli.out.printf("%s  %s  %s%n", subscription.path("id").asText(), subscription.path("url").asText(),
				subscription.path("enabled").asBoolean() ? "enabled"
						: "DISABLED (" + subscription.path("disabledReason").asText() + ")");
		cli.out.printf("  format %s, kinds %s, delivery leads %s, account teams %s, owner %s%n",
				subscription.path("format").asText(), all(subscription.path("kinds")),
				all(subscription.path("deliveryLeads")), all(subscription.path("accountTeams")),
				subscription.path("owner").asText());
		if (subscription.path("consecutiveFailures").asInt() > 0) {
			cli.out.printf("  %d failed attempts in a row%n", subscription.path("consecutiveFailures").asInt());
		}
	}

	private static String all(JsonNode names) {
		return names.isEmpty() ? "all" : names.toString();
	}

	static void printSecret(TrustLedgerCli cli, JsonNode answer) {
		print(cli, answer.path("subscription"));
		cli.out.println("  secret " + answer.path("secret").asText());
		cli.out.println("  (shown this once: keep it where the receiver checks signatures)");
	}

	@Command(name = "create", mixinStandardHelpOptions = true,
			description = "Subscribe a URL to trust alerts; prints the signing secret, shown this once.")
	static final class Create implements Callable<Integer> {

		@ParentCommand
		Webhooks webhooks;

		@CommandLine.Mixin
		Settings settings = new Settings();

		@Override
		public Integer call() {
			printSecret(this.webhooks.cli,
					this.webhooks.cli.api().post("/api/webhooks", "application/json", this.settings.body()));
			return TrustLedgerCli.OK;
		}

	}

	@Command(name = "update", mixinStandardHelpOptions = true,
			description = "Change a subscription's URL, kinds, filters or format; what is not given is cleared.")
	static final class Update implements Callable<Integer> {

		@ParentCommand
		Webhooks webhooks;

		@Parameters(index = "0", description = "The subscription's id")
		String id;

		@CommandLine.Mixin
		Settings settings = new Settings();

		@Override
		public Integer call() {
			print(this.webhooks.cli, this.webhooks.cli.api()
				.put("/api/webhooks/" + TrustLedgerCli.encode(this.id), "application/json", this.settings.body()));
			return TrustLedgerCli.OK;
		}

	}

	@Command(name = "list", mixinStandardHelpOptions = true,
			description = "List the subscriptions: every one for an admin, a delivery lead's own.")
	static final class ListSubscriptions implements Callable<Integer> {

		@ParentCommand
		Webhooks webhooks;

		@Override
		public Integer call() {
			JsonNode subscriptions = this.webhooks.cli.api().get("/api/webhooks").path("subscriptions");
			if (subscriptions.isEmpty()) {
				this.webhooks.cli.out.println("No webhook subscriptions.");
			}
			subscriptions.forEach((subscription) -> print(this.webhooks.cli, subscription));
			return TrustLedgerCli.OK;
		}

	}

	/** The commands on one subscription that print it, or what they got, as JSON. */
	abstract static class OnOne implements Callable<Integer> {

		@ParentCommand
		Webhooks webhooks;

		@Parameters(index = "0", description = "The subscription's id")
		String id;

		String path(String rest) {
			return "/api/webhooks/" + TrustLedgerCli.encode(this.id) + rest;
		}

	}

	@Command(name = "show", mixinStandardHelpOptions = true, description = "Print a subscription as JSON.")
	static final class Show extends OnOne {

		@Override
		public Integer call() {
			this.webhooks.cli.out.println(TrustLedgerCli.pretty(this.webhooks.cli.api().get(path(""))));
			return TrustLedgerCli.OK;
		}

	}

	@Command(name = "delete", mixinStandardHelpOptions = true,
			description = "Delete a subscription; its outstanding deliveries are abandoned.")
	static final class Delete extends OnOne {

		@Override
		public Integer call() {
			this.webhooks.cli.api().delete(path(""));
			this.webhooks.cli.out.println("Deleted " + this.id);
			return TrustLedgerCli.OK;
		}

	}

	@Command(name = "enable", mixinStandardHelpOptions = true,
			description = "Enable a subscription again after a 410 Gone, a run of failures or a disable by hand.")
	static final class Enable extends OnOne {

		@Override
		public Integer call() {
			print(this.webhooks.cli, this.webhooks.cli.api().post(path("/enable"), null, null));
			return TrustLedgerCli.OK;
		}

	}

	@Command(name = "disable", mixinStandardHelpOptions = true,
			description = "Disable a subscription; its outstanding deliveries are abandoned.")
	static final class Disable extends OnOne {

		@Override
		public Integer call() {
			print(this.webhooks.cli, this.webhooks.cli.api().post(path("/disable"), null, null));
			return TrustLedgerCli.OK;
		}

	}

	@Command(name = "rotate-secret", mixinStandardHelpOptions = true,
			description = "A new signing secret, printed this once; the previous one goes on signing beside it for the overlap.")
	static final class RotateSecret extends OnOne {

		@Option(names = "--overlap",
				description = "How long the previous secret still signs, ISO-8601 (default: the service's, PT24H; PT0S stops it at once)")
		String overlap;

		@Override
		public Integer call() {
			String query = (this.overlap != null) ? "?overlap=" + TrustLedgerCli.encode(this.overlap) : "";
			printSecret(this.webhooks.cli, this.webhooks.cli.api().post(path("/secret" + query), null, null));
			return TrustLedgerCli.OK;
		}

	}

	@Command(name = "test", mixinStandardHelpOptions = true,
			description = "Send a test alert now, signed like every delivery, and print what the receiver answered.")
	static final class Test extends OnOne {

		@Override
		public Integer call() {
			JsonNode test = this.webhooks.cli.api().post(path("/test"), null, null);
			JsonNode attempt = test.path("attempt");
			this.webhooks.cli.out.printf("%s: %s in %d ms%n",
					test.path("delivered").asBoolean() ? "Delivered" : "Not delivered",
					attempt.path("status").asInt() > 0 ? "HTTP " + attempt.path("status").asInt()
							: attempt.path("error").asText(),
					attempt.path("millis").asLong());
			return test.path("delivered").asBoolean() ? TrustLedgerCli.OK : TrustLedgerCli.REPLAY_NOT_DONE;
		}

	}

	@Command(name = "deliveries", mixinStandardHelpOptions = true,
			description = "A subscription's delivery log, the latest first.")
	static final class Deliveries extends OnOne {

		@Option(names = "--limit", description = "How many (default: ${DEFAULT-VALUE})", defaultValue = "50")
		int limit;

		@Override
		public Integer call() {
			JsonNode deliveries = this.webhooks.cli.api()
				.get(path("/deliveries?limit=" + this.limit))
				.path("deliveries");
			for (JsonNode delivery : deliveries) {
				JsonNode attempts = delivery.path("attempts");
				JsonNode last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
				String answered = (last == null) ? "not attempted" : (last.path("status").asInt() > 0)
						? "HTTP " + last.path("status").asInt() : last.path("error").asText();
				this.webhooks.cli.out.printf("%s  %-9s  %d attempt(s), last: %s%s%n", delivery.path("alertId").asText(),
						delivery.path("state").asText(), delivery.path("attemptCount").asInt(), answered,
						delivery.path("reason").isTextual() ? "; " + delivery.path("reason").asText() : "");
			}
			return TrustLedgerCli.OK;
		}

	}

}
