package dev.trustledger.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Concurrent readers in a process of their own:
 * <a href="https://github.com/wg/wrk">wrk</a> (Debian's package {@code wrk}), an HTTP
 * benchmarking tool written in C on epoll, each connection a reader that sends its next
 * request when the last answer has arrived.
 * <p>
 * Why not the JDK's client in the driver's JVM: that JVM also hosts the embedded
 * MongoDB-wire server and the broker, so readers there add their allocation and their
 * collector's pauses to the store's answers, and the JDK client hands each answer from
 * its selector thread to the reader's. Both are costs of the driver, not of the service.
 * <p>
 * The paths come from the driver: drawn in Java, written one per line to a file that the
 * script reads, and each request takes one of them at random (each wrk thread with its
 * own seed), so that a read of "any engagement" is spread over the portfolio as before.
 */
final class Wrk {

	/**
	 * Paths drawn for each read, at least: five for each of 10,000 engagements, so that a
	 * random pick among them is close to a random engagement.
	 */
	static final int PATHS = 50_000;

	private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.0+)?%\\s+([0-9.]+)(us|ms|s|m)\\s*$",
			Pattern.MULTILINE);

	private static final Pattern MAX = Pattern
		.compile("^[ \\t]*Latency[ \\t]+\\S+[ \\t]+\\S+[ \\t]+([0-9.]+)(us|ms|s|m)[ \\t]", Pattern.MULTILINE);

	private static final Pattern REQUESTS = Pattern.compile("^\\s*(\\d+) requests in ([0-9.]+)(us|ms|s|m),",
			Pattern.MULTILINE);

	private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

	private static final Pattern SOCKET_ERRORS = Pattern
		.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

	private final Path executable;

	private final Path workDir;

	private int scripts;

	private Wrk(Path executable, Path workDir) {
		this.executable = executable;
		this.workDir = workDir;
	}

	/** wrk from the {@code PATH}, if it is there. */
	static Optional<Wrk> onPath(Path workDir) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			Path candidate = Path.of(dir, "wrk");
			if (!dir.isEmpty() && Files.isExecutable(candidate)) {
				return Optional.of(new Wrk(candidate, workDir));
			}
		}
		return Optional.empty();
	}

	String version() {
		try {
			Process process = new ProcessBuilder(this.executable.toString(), "--version").redirectErrorStream(true)
				.start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor(10, TimeUnit.SECONDS);
			// "wrk 4.1.0 [epoll] Copyright (C) 2012 Will Glozer": the version, not the
			// notice
			return out.lines().findFirst().orElse("wrk").replaceFirst("\\s*Copyright.*", "").trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * {@code connections} readers for {@code time}, each request a path drawn by
	 * {@code path} (its argument a draw's number), with {@code authorization} as the
	 * {@code Authorization} header when not null, accepting gzip as a browser does; each
	 * reader waiting {@code thinkMillis} before each of its requests, its first included
	 * (0: not at all, the next request sent as soon as the last answer has arrived), as a
	 * person reading the page would: wrk's clock of a request starts when it is sent, so
	 * the wait is not in its latency.
	 * <p>
	 * wrk corrects its percentiles for coordinated omission once the run is over: for
	 * every answer that took at least twice the average interval between one connection's
	 * requests, it adds the answers that requests sent on time would have waited for.
	 * Readers that never wait have an interval of about the mean latency, so each slow
	 * answer adds many samples to their tail; paced readers have an interval of about the
	 * wait, and only answers slower than twice it add any.
	 */
	Result run(URI base, int connections, Duration time, int draws, IntFunction<String> path, String authorization,
			int thinkMillis) throws IOException, InterruptedException {
		if (thinkMillis < 0) {
			throw new IllegalArgumentException("thinkMillis < 0: " + thinkMillis);
		}
		Files.createDirectories(this.workDir);
		int n = ++this.scripts;
		Path paths = this.workDir.resolve("paths-" + n + ".txt");
		Path script = this.workDir.resolve("reads-" + n + ".lua");
		Path output = this.workDir.resolve("wrk-" + n + ".txt");
		List<String> lines = new ArrayList<>(draws);
		for (int i = 0; i < draws; i++) {
			lines.add(checked(path.apply(i)));
		}
		Files.write(paths, lines, StandardCharsets.UTF_8);
		Files.writeString(script, script(authorization, thinkMillis), StandardCharsets.UTF_8);
		try {
			// wrk gives each thread connections / threads: two threads for an even number
			List<String> command = List.of(this.executable.toString(), "-t" + ((connections % 2 == 0) ? 2 : 1),
					"-c" + connections, "-d" + time.toSeconds() + "s", "--timeout", "60s", "--latency", "-s",
					script.toString(), base.toString(), "--", paths.toAbsolutePath().toString());
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			boolean ended = process.waitFor(time.toSeconds() + 120, TimeUnit.SECONDS);
			if (!ended) {
				process.destroyForcibly();
			}
			String out = Files.readString(output, StandardCharsets.UTF_8);
			if (!ended || process.exitValue() != 0) {
				throw new IllegalStateException("wrk failed: " + out);
			}
			return Result.parse(out);
		}
		finally {
			Files.deleteIfExists(paths);
			Files.deleteIfExists(script);
			Files.deleteIfExists(output);
		}
	}

	/** A request path, one to a line: plain printable ASCII, nothing to escape. */
	private static String checked(String path) {
		if (!path.startsWith("/") || path.indexOf(' ') >= 0 || !plain(path)) {
			throw new IllegalArgumentException("Not a plain path for wrk: " + path);
		}
		return path;
	}

	/**
	 * Printable ASCII without a double quote or a backslash: nothing Lua would escape.
	 */
	private static boolean plain(String text) {
		return text.chars().allMatch((c) -> c >= ' ' && c <= '~' && c != '"' && c != '\\');
	}

	static String script(String authorization, int thinkMillis) {
		StringBuilder lua = new StringBuilder();
		if (authorization != null) {
			if (!plain(authorization)) {
				throw new IllegalArgumentException("Not a plain header value for wrk");
			}
			lua.append("wrk.headers[\"Authorization\"] = \"").append(authorization).append("\"\n");
		}
		lua.append("wrk.headers[\"Accept-Encoding\"] = \"gzip\"\n");
		lua.append("local threads = 0\n");
		lua.append("function setup(thread)\n  threads = threads + 1\n  thread:set(\"seed\", threads)\nend\n");
		lua.append("local paths = {}\n");
		// the paths' file is the argument after "--" on wrk's command line
		lua.append("function init(args)\n  math.randomseed(seed)\n")
			.append("  for line in io.lines(args[1]) do paths[#paths + 1] = line end\nend\n");
		lua.append("function request()\n  return wrk.format(\"GET\", paths[math.random(#paths)])\nend\n");
		if (thinkMillis > 0) {
			// wrk asks delay() how long to wait before a request
			lua.append("function delay()\n  return ").append(thinkMillis).append("\nend\n");
		}
		return lua.toString();
	}

	/** What wrk printed: the answers counted, their rate, percentiles and failures. */
	record Result(long requests, double seconds, double p50Millis, double p99Millis, double maxMillis, long failed) {

		static Result parse(String out) {
			double p50 = Double.NaN;
			double p99 = Double.NaN;
			Matcher percentile = PERCENTILE.matcher(out);
			while (percentile.find()) {
				double millis = millis(percentile.group(2), percentile.group(3));
				if (percentile.group(1).equals("50")) {
					p50 = millis;
				}
				else {
					p99 = millis;
				}
			}
			Matcher requests = REQUESTS.matcher(out);
			Matcher max = MAX.matcher(out);
			if (Double.isNaN(p50) || Double.isNaN(p99) || !requests.find() || !max.find()) {
				throw new IllegalStateException("wrk's output not understood: " + out);
			}
			long failed = 0;
			Matcher non2xx = NON_2XX.matcher(out);
			if (non2xx.find()) {
				failed += Long.parseLong(non2xx.group(1));
			}
			Matcher errors = SOCKET_ERRORS.matcher(out);
			if (errors.find()) {
				for (int g = 1; g <= 4; g++) {
					failed += Long.parseLong(errors.group(g));
				}
			}
			return new Result(Long.parseLong(requests.group(1)), millis(requests.group(2), requests.group(3)) / 1000.0,
					p50, p99, millis(max.group(1), max.group(2)), failed);
		}

		private static double millis(String value, String unit) {
			double number = Double.parseDouble(value);
			return switch (unit) {
				case "us" -> number / 1000.0;
				case "ms" -> number;
				case "s" -> number * 1000.0;
				case "m" -> number * 60_000.0;
				default -> throw new IllegalArgumentException(unit);
			};
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%,d in %.1f s = %,.0f/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms (wrk)%s",
					this.requests, this.seconds, this.requests / this.seconds, this.p50Millis, this.p99Millis,
					this.maxMillis, (this.failed > 0) ? String.format(Locale.ROOT, ", %,d failed", this.failed) : "");
		}

	}

}
