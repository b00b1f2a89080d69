package dev.trustledger.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
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
 * The analysts' command line: rebuilds, candidate models and exports, through the query
 * service's API.
 */
@Command(name = "trustledger-cli", mixinStandardHelpOptions = true, version = "Trust Ledger CLI 0.1.0",
		description = "Rebuild projections, try candidate scoring models, export history and send alerts to webhooks through the query service.",
		subcommands = { TrustLedgerCli.Replay.class, TrustLedgerCli.Model.class, TrustLedgerCli.Export.class,
				TrustLedgerCli.Parked.class, Webhooks.class },
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:done", "1:a replay ended failed or cancelled", "2:bad command line",
				"3:the service rejected the request (the problem is printed)",
				"4:the service failed or could not be reached" })
public final class TrustLedgerCli implements Callable<Integer> {

	static final int OK = 0;

	static final int REPLAY_NOT_DONE = 1;

	static final int REJECTED = 3;

	static final int UNAVAILABLE = 4;

	private static final ObjectMapper json = new ObjectMapper();

	@Option(names = "--url", description = "The query service (default: $TRUSTLEDGER_QUERY_URL or ${DEFAULT-VALUE})",
			defaultValue = "${env:TRUSTLEDGER_QUERY_URL:-http://127.0.0.1:8082}")
	URI url;

	@Option(names = "--command-url",
			description = "The command service, for parked events (default: $TRUSTLEDGER_COMMAND_URL or ${DEFAULT-VALUE})",
			defaultValue = "${env:TRUSTLEDGER_COMMAND_URL:-http://127.0.0.1:8081}")
	URI commandUrl;

	@Option(names = { "-u", "--user" }, description = "An ANALYST user (default: $TRUSTLEDGER_USER)",
			defaultValue = "${env:TRUSTLEDGER_USER}")
	String user;

	@Option(names = "--password-file",
			description = "A file holding the password; otherwise $TRUSTLEDGER_PASSWORD, so that it stays out of the process list")
	Path passwordFile;

	PrintStream out = System.out;

	PrintStream err = System.err;

	boolean terminal = System.console() != null;

	long pollMillis = 500;

	public static void main(String[] args) {
		System.exit(commandLine(new TrustLedgerCli()).execute(args));
	}

	static CommandLine commandLine(TrustLedgerCli cli) {
		CommandLine commandLine = new CommandLine(cli);
		commandLine.setExecutionExceptionHandler((ex, line, parsed) -> {
			if (ex instanceof ApiClient.ApiException api) {
				line.getErr().println("trustledger-cli: " + api.describe());
				return api.exitCode();
			}
			throw ex;
		});
		return commandLine;
	}

	@Override
	public Integer call() {
		CommandLine.usage(this, this.out);
		return CommandLine.ExitCode.USAGE;
	}

	ApiClient api() {
		String password = System.getenv("TRUSTLEDGER_PASSWORD");
		if (this.passwordFile != null) {
			try {
				password = Files.readString(this.passwordFile).strip();
			}
			catch (java.io.IOException ex) {
				throw new CommandLine.ParameterException(new CommandLine(this),
						"Cannot read --password-file " + this.passwordFile + ": " + ex.getMessage());
			}
		}
		return new ApiClient(this.url, this.user, password);
	}

	/** The command service, with the same user. */
	ApiClient commandApi() {
		ApiClient query = api();
		return query.at(this.commandUrl);
	}

	int followed(String replayId, boolean follow) {
		if (!follow) {
			this.out
				.println("Replay " + replayId + " started; follow it with: trustledger-cli replay follow " + replayId);
			return OK;
		}
		JsonNode last = Progress.follow(api(), replayId, this.err, this.terminal, this.pollMillis);
		this.out.println(pretty(last));
		return last.path("phase").asText().equals("DONE") ? OK : REPLAY_NOT_DONE;
	}

	static String pretty(JsonNode node) {
		try {
			return json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	@Command(name = "replay", mixinStandardHelpOptions = true,
			description = "Rebuild every projection from the beginning of the topic into a new generation.",
			subcommands = { Replay.Start.class, Replay.Follow.class, Replay.Status.class, Replay.Cancel.class,
					Replay.ListReplays.class })
	static final class Replay implements Callable<Integer> {

		@ParentCommand
		TrustLedgerCli cli;

		@Override
		public Integer call() {
			CommandLine.usage(this, this.cli.out);
			return CommandLine.ExitCode.USAGE;
		}

		@Command(name = "start", mixinStandardHelpOptions = true,
				description = "Start a rebuild; it becomes current once it has caught up.")
		static final class Start implements Callable<Integer> {

			@ParentCommand
			Replay replay;

			@Option(names = { "-f", "--follow" }, description = "Show progress until it ends")
			boolean follow;

			@Override
			public Integer call() {
				JsonNode started = this.replay.cli.api().post("/api/replays", null, null);
				return this.replay.cli.followed(started.path("id").asText(), this.follow);
			}

		}

		@Command(name = "follow", mixinStandardHelpOptions = true,
				description = "Show a replay's progress until it ends.")
		static final class Follow implements Callable<Integer> {

			@ParentCommand
			Replay replay;

			@Parameters(paramLabel = "ID", description = "The replay's id")
			String id;

			@Override
			public Integer call() {
				return this.replay.cli.followed(this.id, true);
			}

		}

		@Command(name = "status", mixinStandardHelpOptions = true, description = "Print a replay's progress once.")
		static final class Status implements Callable<Integer> {

			@ParentCommand
			Replay replay;

			@Parameters(paramLabel = "ID", description = "The replay's id")
			String id;

			@Override
			public Integer call() {
				this.replay.cli.out.println(pretty(this.replay.cli.api().get("/api/replays/" + encode(this.id))));
				return OK;
			}

		}

		@Command(name = "cancel", mixinStandardHelpOptions = true,
				description = "Cancel a running replay; its generation is dropped.")
		static final class Cancel implements Callable<Integer> {

			@ParentCommand
			Replay replay;

			@Parameters(paramLabel = "ID", description = "The replay's id")
			String id;

			@Override
			public Integer call() {
				this.replay.cli.api().delete("/api/replays/" + encode(this.id));
				JsonNode last = Progress.follow(this.replay.cli.api(), this.id, this.replay.cli.err, false,
						this.replay.cli.pollMillis);
				this.replay.cli.out.println("Replay " + this.id + ": " + last.path("phase").asText());
				return OK;
			}

		}

		@Command(name = "list", mixinStandardHelpOptions = true, description = "List replays, the latest first.")
		static final class ListReplays implements Callable<Integer> {

			@ParentCommand
			Replay replay;

			@Override
			public Integer call() {
				for (JsonNode each : this.replay.cli.api().get("/api/replays").path("replays")) {
					this.replay.cli.out.printf("%-6s %-10s %-8s %-12s %,d events%n", each.path("id").asText(),
							each.path("kind").asText(), each.path("model").asText(), each.path("phase").asText(),
							each.path("eventsProcessed").asLong());
				}
				return OK;
			}

		}

	}

	@Command(name = "parked", mixinStandardHelpOptions = true,
			description = "Events the publisher or records the projection could not handle: list, retry, discard (admins).",
			subcommands = { Parked.ListParked.class, Parked.Retry.class, Parked.Discard.class })
	static final class Parked implements Callable<Integer> {

		@ParentCommand
		TrustLedgerCli cli;

		/** Where things are parked. */
		enum Service {

			/** The publisher, in the command service. */
			COMMAND,

			/** The projection, in the query service. */
			QUERY,

			BOTH

		}

		@Option(names = "--service", description = "Which service's parked events: ${COMPLETION-CANDIDATES} "
				+ "(default: ${DEFAULT-VALUE})", defaultValue = "BOTH", scope = CommandLine.ScopeType.INHERIT)
		Service service;

		boolean command() {
			return this.service != Service.QUERY;
		}

		boolean query() {
			return this.service != Service.COMMAND;
		}

		@Override
		public Integer call() {
			CommandLine.usage(this, this.cli.out);
			return CommandLine.ExitCode.USAGE;
		}

		@Command(name = "list", mixinStandardHelpOptions = true,
				description = "List what is parked in the publisher (command service) and the projection (query service).")
		static final class ListParked implements Callable<Integer> {

			@ParentCommand
			Parked parked;

			@Override
			public Integer call() {
				TrustLedgerCli cli = this.parked.cli;
				if (this.parked.command()) {
					JsonNode events = cli.commandApi().get("/api/parked");
					cli.out.printf("Publisher: %,d parked events of %,d engagements%n", events.path("count").asLong(),
							events.path("engagements").asLong());
					for (JsonNode event : events.path("events")) {
						cli.out.printf("  %s #%d  %s  %s%n", event.path("engagementId").asText(),
								event.path("sequence").asLong(), event.path("eventId").asText(),
								event.path("cause").asText());
					}
				}
				if (!this.parked.query()) {
					return OK;
				}
				JsonNode records = cli.api().get("/api/parked");
				cli.out.printf("Projection: %,d parked records of %,d engagements%n", records.path("count").asLong(),
						records.path("engagements").asLong());
				for (JsonNode record : records.path("records")) {
					cli.out.printf("  %s  %s  %s%n", record.path("engagementId").asText(), record.path("id").asText(),
							record.path("reason").asText());
				}
				return OK;
			}

		}

		@Command(name = "retry", mixinStandardHelpOptions = true,
				description = "Publish and project parked events again, in order, after a fix.")
		static final class Retry implements Callable<Integer> {

			@ParentCommand
			Parked parked;

			@Option(names = "--engagement", description = "Only this engagement's")
			String engagementId;

			@Override
			public Integer call() {
				TrustLedgerCli cli = this.parked.cli;
				String query = (this.engagementId != null) ? "?engagementId=" + encode(this.engagementId) : "";
				long stillParked = 0;
				if (this.parked.command()) {
					JsonNode published = cli.commandApi().post("/api/parked/retry" + query, null, null);
					cli.out.printf("Publisher: %,d published, %,d still parked%n", published.path("published").asLong(),
							published.path("stillParked").asLong());
					stillParked += published.path("stillParked").asLong();
				}
				if (this.parked.query()) {
					JsonNode projected = cli.api().post("/api/parked/retry" + query, null, null);
					cli.out.printf("Projection: %,d projected, %,d still parked%n",
							projected.path("projected").asLong(), projected.path("stillParked").asLong());
					stillParked += projected.path("stillParked").asLong();
				}
				// like a replay that is not done: something is still parked
				return (stillParked == 0) ? OK : REPLAY_NOT_DONE;
			}

		}

		@Command(name = "discard", mixinStandardHelpOptions = true,
				description = "Discard a parked record of the projection that can never be applied (by its id).")
		static final class Discard implements Callable<Integer> {

			@ParentCommand
			Parked parked;

			@Parameters(index = "0", description = "The parked record's id, as listed")
			String recordId;

			@Override
			public Integer call() {
				this.parked.cli.api().delete("/api/parked/" + encode(this.recordId));
				this.parked.cli.out.println("Discarded " + this.recordId);
				return OK;
			}

		}

	}

	@Command(name = "model", mixinStandardHelpOptions = true,
			description = "Candidate scoring models: upload, run in a sandbox, compare with live, back-test, promote.",
			subcommands = { Model.Upload.class, Model.Run.class, Model.Compare.class, Model.Promote.class,
					Model.ListModels.class, Model.Backtest.class })
	static final class Model implements Callable<Integer> {

		@ParentCommand
		TrustLedgerCli cli;

		@Override
		public Integer call() {
			CommandLine.usage(this, this.cli.out);
			return CommandLine.ExitCode.USAGE;
		}

		@Command(name = "list", mixinStandardHelpOptions = true, description = "List the models and the live one.")
		static final class ListModels implements Callable<Integer> {

			@ParentCommand
			Model model;

			@Override
			public Integer call() {
				this.model.cli.out.println(pretty(this.model.cli.api().get("/api/models")));
				return OK;
			}

		}

		@Command(name = "upload", mixinStandardHelpOptions = true,
				description = "Upload a candidate model; its YAML's version names it.")
		static final class Upload implements Callable<Integer> {

			@ParentCommand
			Model model;

			@Parameters(paramLabel = "FILE", description = "The model's YAML")
			Path file;

			@Option(names = "--as", paramLabel = "VERSION",
					description = "Upload under this version (default: the YAML's)")
			String version;

			@Override
			public Integer call() throws Exception {
				String yaml = Files.readString(this.file);
				String version = (this.version != null) ? this.version : versionOf(yaml);
				if (version == null) {
					throw new CommandLine.ParameterException(new CommandLine(this),
							this.file + " has no top-level version: give one with --as");
				}
				this.model.cli.api().put("/api/models/" + encode(version), "application/yaml", yaml);
				this.model.cli.out.println("Uploaded model " + version);
				return OK;
			}

			private static String versionOf(String yaml) {
				for (String line : yaml.split("\\R")) {
					if (line.startsWith("version:")) {
						return line.substring("version:".length()).replaceAll("#.*", "").strip().replace("\"", "");
					}
				}
				return null;
			}

		}

		@Command(name = "run", mixinStandardHelpOptions = true,
				description = "Score the history with a candidate into a sandbox generation; live is untouched.")
		static final class Run implements Callable<Integer> {

			@ParentCommand
			Model model;

			@Parameters(paramLabel = "VERSION", description = "The candidate's version")
			String version;

			@Option(names = { "-e", "--engagement" }, paramLabel = "ID",
					description = "Only this engagement (repeatable; default: all)")
			List<String> engagements = new ArrayList<>();

			@Option(names = { "-f", "--follow" }, description = "Show progress until it ends")
			boolean follow;

			@Override
			public Integer call() {
				String body = null;
				if (!this.engagements.isEmpty()) {
					ObjectNode request = json.createObjectNode();
					this.engagements.forEach(request.putArray("engagementIds")::add);
					body = request.toString();
				}
				JsonNode started = this.model.cli.api()
					.post("/api/models/" + encode(this.version) + "/runs", "application/json", body);
				return this.model.cli.followed(started.path("id").asText(), this.follow);
			}

		}

		@Command(name = "compare", mixinStandardHelpOptions = true,
				description = "Live versus candidate scores, now and at the dates given; the biggest movers first.")
		static final class Compare implements Callable<Integer> {

			@ParentCommand
			Model model;

			@Parameters(paramLabel = "VERSION", description = "The candidate's version")
			String version;

			@Option(names = "--at", paramLabel = "INSTANT", description = "Also compare at this instant (repeatable)")
			List<String> at = new ArrayList<>();

			@Option(names = "--limit", defaultValue = "10", description = "How many movers (default ${DEFAULT-VALUE})")
			int limit;

			@Option(names = "--json", description = "Print the whole comparison as JSON")
			boolean asJson;

			@Override
			public Integer call() {
				StringBuilder path = new StringBuilder(
						"/api/models/" + encode(this.version) + "/comparison?limit=" + this.limit);
				this.at.forEach((instant) -> path.append("&at=").append(encode(instant)));
				JsonNode comparison = this.model.cli.api().get(path.toString());
				PrintStream out = this.model.cli.out;
				if (this.asJson) {
					out.println(pretty(comparison));
					return OK;
				}
				out.printf("Live %s versus candidate %s (sandbox generation %s)%n", comparison.path("live").asText(),
						comparison.path("candidate").asText(), comparison.path("sandboxGeneration").asText());
				out.printf("%-24s %10s %10s %8s%n", "engagement", "live", "candidate", "change");
				for (JsonNode mover : comparison.path("biggestMovers")) {
					out.printf("%-24s %10s %10s %+8.2f%n", mover.path("engagementId").asText(),
							mover.path("live").path("trust").asText(), mover.path("candidate").path("trust").asText(),
							mover.path("trustDelta").asDouble());
				}
				return OK;
			}

		}

		@Command(name = "backtest", mixinStandardHelpOptions = true,
				description = "How well models would have predicted the recorded outcomes, side by side.")
		static final class Backtest implements Callable<Integer> {

			@ParentCommand
			Model model;

			@Parameters(paramLabel = "VERSION", arity = "1..*", description = "The models' versions")
			List<String> versions = new ArrayList<>();

			@Option(names = "--horizon", defaultValue = "60d",
					description = "How long before each outcome to score it, such as 30d (default ${DEFAULT-VALUE})")
			String horizon;

			@Option(names = "--json", description = "Print each back-test whole as JSON")
			boolean asJson;

			@Override
			public Integer call() {
				PrintStream out = this.model.cli.out;
				List<JsonNode> reports = new ArrayList<>();
				for (String version : this.versions) {
					reports.add(this.model.cli.api()
						.get("/api/models/" + encode(version) + "/backtest?horizon=" + encode(this.horizon)));
				}
				if (this.asJson) {
					reports.forEach((report) -> out.println(pretty(report)));
					return OK;
				}
				JsonNode first = reports.get(0);
				out.printf("Back-test at %s days before each outcome: %s outcomes (%s bad, %s good), %s unscored%n",
						first.path("horizonDays").asText(), first.path("outcomes").asText(), first.path("bad").asText(),
						first.path("good").asText(), first.path("unscored").asText());
				out.printf("%-10s %-22s %-27s %8s %8s %12s%n", "model", "predictor", "AUC (95 % interval)", "lift",
						"healthy", "lead (days)");
				for (JsonNode report : reports) {
					report.path("predictors").fields().forEachRemaining((predictor) -> {
						JsonNode p = predictor.getValue();
						boolean trust = predictor.getKey().equals("trust");
						out.printf("%-10s %-22s %-27s %8s %8s %12s%n", report.path("model").asText(),
								predictor.getKey(),
								number(p.path("auc")) + " (" + number(p.path("aucLow")) + "–"
										+ number(p.path("aucHigh")) + ")",
								number(p.path("topDecileLift")), trust ? number(report.path("healthyShare")) : "",
								trust ? days(report.path("medianLeadDays")) : "");
					});
				}
				return OK;
			}

			/**
			 * A figure as the API gives it, to four decimals: rounding it again would
			 * move some (0.53247 is 0.5325 there, and would read 0.533 here).
			 */
			private static String number(JsonNode value) {
				return (value.isMissingNode() || value.isNull()) ? "n/a"
						: String.format(java.util.Locale.ROOT, "%.4f", value.asDouble());
			}

			private static String days(JsonNode value) {
				return (value.isMissingNode() || value.isNull()) ? "n/a"
						: String.format(java.util.Locale.ROOT, "%.1f", value.asDouble());
			}

		}

		@Command(name = "promote", mixinStandardHelpOptions = true,
				description = "Make a candidate live: rebuild under it, switch, mark the change on every timeline.")
		static final class Promote implements Callable<Integer> {

			@ParentCommand
			Model model;

			@Parameters(paramLabel = "VERSION", description = "The candidate's version")
			String version;

			@Option(names = { "-f", "--follow" }, description = "Show progress until it ends")
			boolean follow;

			@Override
			public Integer call() {
				JsonNode started = this.model.cli.api()
					.post("/api/models/" + encode(this.version) + "/promotion", null, null);
				return this.model.cli.followed(started.path("id").asText(), this.follow);
			}

		}

	}

	@Command(name = "export", mixinStandardHelpOptions = true, description = "Export history to a file, streamed.",
			subcommands = { Export.Events.class, Export.Timeline.class })
	static final class Export implements Callable<Integer> {

		@ParentCommand
		TrustLedgerCli cli;

		@Override
		public Integer call() {
			CommandLine.usage(this, this.cli.out);
			return CommandLine.ExitCode.USAGE;
		}

		int download(String path, Path output) throws Exception {
			Path partial = output.resolveSibling(output.getFileName() + ".partial");
			long bytes;
			try (InputStream in = this.cli.api().download(path); OutputStream file = Files.newOutputStream(partial)) {
				bytes = in.transferTo(file);
			}
			Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING);
			this.cli.out.printf("Wrote %,d bytes to %s%n", bytes, output);
			return OK;
		}

		@Command(name = "events", mixinStandardHelpOptions = true,
				description = "Every event as NDJSON in its Kafka envelope, re-importable through POST /api/imports.")
		static final class Events implements Callable<Integer> {

			@ParentCommand
			Export export;

			@Option(names = { "-e", "--engagement" }, paramLabel = "ID",
					description = "Only this engagement (default: all)")
			String engagement;

			@Option(names = { "-o", "--output" }, required = true, paramLabel = "FILE")
			Path output;

			@Override
			public Integer call() throws Exception {
				return this.export.download(
						(this.engagement != null) ? "/api/engagements/" + encode(this.engagement) + "/events.ndjson"
								: "/api/exports/events.ndjson",
						this.output);
			}

		}

		@Command(name = "timeline", mixinStandardHelpOptions = true, description = "An engagement's timeline as CSV.")
		static final class Timeline implements Callable<Integer> {

			@ParentCommand
			Export export;

			@Parameters(paramLabel = "ENGAGEMENT")
			String engagement;

			@Option(names = "--from", paramLabel = "INSTANT")
			String from;

			@Option(names = "--to", paramLabel = "INSTANT")
			String to;

			@Option(names = "--granularity", defaultValue = "event", description = "event, day or week")
			String granularity;

			@Option(names = { "-o", "--output" }, required = true, paramLabel = "FILE")
			Path output;

			@Override
			public Integer call() throws Exception {
				StringBuilder path = new StringBuilder("/api/engagements/" + encode(this.engagement)
						+ "/timeline.csv?granularity=" + encode(this.granularity));
				if (this.from != null) {
					path.append("&from=").append(encode(this.from));
				}
				if (this.to != null) {
					path.append("&to=").append(encode(this.to));
				}
				return this.export.download(path.toString(), this.output);
			}

		}

	}

}
