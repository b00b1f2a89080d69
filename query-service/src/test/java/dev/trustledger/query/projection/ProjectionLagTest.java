package dev.trustledger.query.projection;

import java.time.Duration;
import java.util.List;

import dev.trustledger.support.metrics.SampledGauges;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bookkeeping behind the lag gauges, fed as the listener and the interceptor feed it.
 */
class ProjectionLagTest {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final SampledGauges gauges = new SampledGauges(this.registry, Duration.ofHours(1));

	private final ProjectionLag lag = new ProjectionLag(new KafkaListenerEndpointRegistry(), this.registry,
			this.gauges);

	@AfterEach
	void close() {
		this.gauges.close();
	}

	@Test
	void aPolledRecordWaitsUntilItIsAppliedOrParkedBesideThoseNotPolledYet() {
		assertThat(this.lag.waiting(3, 0)).isZero();
		assertThat(this.lag.waiting(3, 4.0)).isEqualTo(4);
		this.lag.polled(3, new long[] { 10, 11, 12 }, new long[] { 1_000, 2_000, 3_000 });
		assertThat(this.lag.waiting(3, 4.0)).isEqualTo(7);
		// the first, being applied (retried while the store is away, say), is still
		// waiting, with its age
		assertThat(this.lag.waiting(3, 0)).as("being applied is still waiting").isEqualTo(3);
		assertThat(this.lag.oldestUnsettled(3)).isEqualTo(1_000);
		this.lag.applied(3, 10, 1_000);
		assertThat(this.lag.waiting(3, 0)).isEqualTo(2);
		assertThat(this.lag.oldestUnsettled(3)).isEqualTo(2_000);
		this.lag.settled(3, 11);
		this.lag.applied(3, 12, 3_000);
		assertThat(this.lag.waiting(3, 0)).isZero();
		assertThat(this.lag.oldestUnsettled(3)).isNull();
		// another partition's records are its own
		assertThat(this.lag.waiting(4, 0)).isZero();
	}

	@Test
	void offsetsATransactionMarkerTookAreNotWaitedFor() {
		this.lag.polled(0, new long[] { 20, 22, 24 }, new long[] { 1, 2, 3 });
		this.lag.applied(0, 20, 1);
		assertThat(this.lag.waiting(0, 0)).isEqualTo(2);
		this.lag.applied(0, 24, 3);
		assertThat(this.lag.waiting(0, 0)).isZero();
	}

	@Test
	void aRecordRepolledAfterARetryIsCountedOnceAndARevokedPartitionNotAtAll() {
		this.lag.polled(1, new long[] { 5, 6, 7 }, new long[] { 1, 2, 3 });
		this.lag.applied(1, 5, 1);
		// the error handler sought back to 6 and the next poll handed 6 and 7 out again
		this.lag.polled(1, new long[] { 6, 7 }, new long[] { 2, 3 });
		assertThat(this.lag.waiting(1, 0)).isEqualTo(2);
		// revoked while 6 was retried: if the partition comes back with nothing new,
		// nothing of it waits here
		this.lag.forget(List.of(1));
		assertThat(this.lag.waiting(1, 0)).isZero();
		assertThat(this.lag.oldestUnsettled(1)).isNull();
	}

}
