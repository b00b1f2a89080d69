package dev.trustledger.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's own behaviour: help everywhere, exit codes scripts can rely on. */
class TrustLedgerCliTest {

	@Test
	void everyCommandHasHelp() {
		List<List<String>> commands = new ArrayList<>();
		collect(TrustLedgerCli.commandLine(new TrustLedgerCli()), new ArrayList<>(), commands);
		assertThat(commands).hasSizeGreaterThanOrEqualTo(14);
		for (List<String> command : commands) {
			StringWriter out = new StringWriter();
			CommandLine commandLine = TrustLedgerCli.commandLine(new TrustLedgerCli());
			commandLine.setOut(new PrintWriter(out));
			List<String> args = new ArrayList<>(command);
			args.add("--help");
			assertThat(commandLine.execute(args.toArray(String[]::new))).as(String.join(" ", args)).isZero();
			assertThat(out.toString()).as(String.join(" ", args))
				.startsWith("Usage: trustledger-cli")
				.contains(command.isEmpty() ? "trustledger-cli" : command.get(command.size() - 1));
		}
	}

	@Test
	void aWrongCommandLineExitsWithTwo() {
		CommandLine commandLine = TrustLedgerCli.commandLine(new TrustLedgerCli());
		commandLine.setErr(new PrintWriter(new StringWriter()));
		assertThat(commandLine.execute("replay", "start", "--no-such-option")).isEqualTo(2);
		assertThat(commandLine.execute("export", "events")).as("--output is required").isEqualTo(2);
	}

	@Test
	void anUnreachableServiceExitsWithFourAndSaysWhere() {
		TrustLedgerCli cli = new TrustLedgerCli();
		StringWriter err = new StringWriter();
		CommandLine commandLine = TrustLedgerCli.commandLine(cli);
		commandLine.setErr(new PrintWriter(err));
		int exit = commandLine.execute("--url", "http://127.0.0.1:1", "replay", "list");
		assertThat(exit).isEqualTo(4);
		assertThat(err.toString()).contains("Cannot reach the query service at http://127.0.0.1:1");
	}

	@Test
	void theProgressBarFillsWithTheEventsProcessed() throws Exception {
		ObjectMapper json = new ObjectMapper();
		String half = Progress.bar(json.readTree(
				"""
						{"phase":"REBUILDING","eventsProcessed":500,"eventsTotal":1000,"eventsPerSecond":250,"etaSeconds":2}"""));
		assertThat(half).startsWith("[" + "#".repeat(15) + "-".repeat(15) + "]").contains(" 50%").contains("2 s left");
		String done = Progress.bar(json.readTree("""
				{"phase":"DONE","eventsProcessed":1000,"eventsTotal":1000,"eventsPerSecond":250,"etaSeconds":0}"""));
		assertThat(done).startsWith("[" + "#".repeat(30) + "]").contains("100%");
		assertThat(Progress.isFinished(json.readTree("{\"phase\":\"CANCELLED\"}"))).isTrue();
		assertThat(Progress.isFinished(json.readTree("{\"phase\":\"CATCHING_UP\"}"))).isFalse();
	}

	private static void collect(CommandLine commandLine, List<String> path, List<List<String>> into) {
		into.add(path);
		commandLine.getSubcommands().forEach((name, sub) -> {
			List<String> child = new ArrayList<>(path);
			child.add(name);
			collect(sub, child, into);
		});
	}

}
