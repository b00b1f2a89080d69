package dev.trustledger.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
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

}
