package dev.trustledger.query.replay;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * A replay's progress as gauges, for the one running on this instance (a rebuild, a
 * candidate run or a promotion): {@code trustledger.replay.running} (1 or 0),
 * {@code trustledger.replay.events.processed} and {@code trustledger.replay.events.total}
 * (0 when none runs).
 */
@Component
class ReplayMetrics {

	ReplayMetrics(Replays replays, MeterRegistry registry) {
		Gauge.builder("trustledger.replay.running", replays, (all) -> (all.runningHere() != null) ? 1 : 0)
			.description("Whether a replay (rebuild, candidate run, promotion) runs on this instance")
			.register(registry);
		Gauge.builder("trustledger.replay.events.processed", replays, (all) -> {
			Replay replay = all.runningHere();
			return (replay != null) ? replay.processed() : 0;
		}).description("Events the running replay has folded").register(registry);
		Gauge.builder("trustledger.replay.events.total", replays, (all) -> {
			Replay replay = all.runningHere();
			return (replay != null) ? Math.max(replay.total(), replay.processed()) : 0;
		}).description("Events the running replay has to fold, as far as it knows").register(registry);
	}

}
