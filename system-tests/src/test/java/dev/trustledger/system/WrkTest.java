package dev.trustledger.system;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

class WrkTest {

	@Test
	void readsPercentilesInTheirUnitsAndCountsEveryFailure() {
		Wrk.Result result = Wrk.Result.parse("""
				Running 20s test @ http://127.0.0.1:8082
				  2 threads and 8 connections
				  Thread Stats   Avg      Stdev     Max   +/- Stdev
				    Latency     1.75ms    2.59ms    1.20s    91.68%
				    Req/Sec     3.50k   740.40     7.70k    68.44%
				  Latency Distribution
				     50%  940.00us
				     75%    1.81ms
				     90%    3.85ms
				     99%   13.98ms
				  104701 requests in 20.10s, 39.16MB read
				  Socket errors: connect 0, read 2, write 0, timeout 1
				  Non-2xx or 3xx responses: 5
				Requests/sec:   5209.00
				Transfer/sec:      1.95MB
				""");

		assertThat(result.requests()).isEqualTo(104_701);
		assertThat(result.seconds()).isCloseTo(20.1, within(1e-9));
		assertThat(result.p50Millis()).isCloseTo(0.94, within(1e-9));
		assertThat(result.p99Millis()).isCloseTo(13.98, within(1e-9));
		assertThat(result.maxMillis()).isCloseTo(1200.0, within(1e-9));
		assertThat(result.failed()).isEqualTo(8);
		assertThat(result.toString()).contains("p50 0.9 ms, p99 14.0 ms").endsWith(", 8 failed");
	}

	@Test
	void refusesOutputWithoutItsPercentiles() {
		assertThatIllegalStateException()
			.isThrownBy(() -> Wrk.Result.parse("unable to connect to 127.0.0.1:8082 Connection refused"))
			.withMessageContaining("not understood");
	}

	@Test
	void pacesEachReaderOnlyWhenAThinkTimeIsGiven() {
		assertThat(Wrk.script(null, 0)).doesNotContain("delay").doesNotContain("Authorization");
		assertThat(Wrk.script("Basic YTpi", 25)).contains("function delay()\n  return 25\nend")
			.contains("wrk.headers[\"Authorization\"] = \"Basic YTpi\"");
	}

	@Test
	void refusesAHeaderLuaWouldReadOtherwise() {
		assertThatIllegalArgumentException().isThrownBy(() -> Wrk.script("Basic \"x\"", 0));
	}

	/**
	 * wrk itself (skipped where it is not installed): a paced reader sends no more than
	 * one request for each think time, the wait is not in the latency, and every answer
	 * wrk counted was served.
	 */
	@Test
	void aThinkTimeBoundsHowOftenEachReaderAsks(@TempDir Path dir) throws Exception {
		java.util.Optional<Wrk> wrk = Wrk.onPath(dir);
		Assumptions.assumeTrue(wrk.isPresent(), "wrk is not on the PATH");
		AtomicLong served = new AtomicLong();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			served.incrementAndGet();
			byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		try {
			URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
			int thinkMillis = 200;
			int seconds = 2;
			Wrk.Result paced = wrk.get()
				.run(base, 2, Duration.ofSeconds(seconds), 10, (n) -> "/p" + n, null, thinkMillis);

			assertThat(paced.failed()).isZero();
			// each connection waits before every request, its first included, for as long
			// as wrk says it ran
			assertThat(paced.requests()).isPositive()
				.isLessThanOrEqualTo(2L * ((long) (paced.seconds() * 1000 / thinkMillis) + 1))
				.isLessThanOrEqualTo(served.get());
			// a latency that counted the wait would be at least the think time
			assertThat(paced.p50Millis()).isLessThan(thinkMillis);
		}
		finally {
			server.stop(0);
		}
	}

}
