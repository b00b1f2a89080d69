package dev.trustledger.command.engagement;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Recording an incident must not re-read an engagement's whole history: loaded
 * engagements stay in a cache while they are in use, and a snapshot is taken every
 * {@code trustledger.engagement.snapshot-every} events, so a cold load reads the snapshot
 * and at most that many events.
 */
@Configuration(proxyBeanMethods = false)
class EngagementRepositoryConfiguration {

	/**
	 * {@code trustledger.engagement.cache=false} turns the cache off (for measuring what
	 * it saves).
	 */
	@Bean
	Cache engagementCache(@Value("${trustledger.engagement.cache:true}") boolean enabled) {
		return enabled ? new WeakReferenceCache() : NoCache.INSTANCE;
	}

	/** {@code trustledger.engagement.snapshot-every=0} turns snapshots off. */
	@Bean
	SnapshotTriggerDefinition engagementSnapshotTrigger(Snapshotter snapshotter,
			@Value("${trustledger.engagement.snapshot-every:250}") int threshold) {
		return (threshold > 0) ? new EventCountSnapshotTriggerDefinition(snapshotter, threshold)
				: NoSnapshotTriggerDefinition.INSTANCE;
	}

}
