package dev.trustledger.command.engagement;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.EhCache3Adapter;
import org.axonframework.common.caching.NoCache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.core.Ehcache;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Recording an incident must not re-read an engagement's history: the most recently used
 * engagements stay loaded in a bounded cache ({@code trustledger.engagement.cache-size}
 * of them, least recently used out first), and a snapshot is taken every
 * {@code trustledger.engagement.snapshot-every} events, so a cold load reads the snapshot
 * and at most that many events.
 * <p>
 * The cache is Ehcache's on-heap tier, which holds the aggregates by reference and evicts
 * by count. Axon's default {@code WeakReferenceCache} lost 30–60 % of its entries at
 * every collection under load, so a command on a busy engagement often reloaded it.
 */
@Configuration(proxyBeanMethods = false)
class EngagementRepositoryConfiguration {

	@Bean(destroyMethod = "close")
	CacheManager engagementCacheManager() {
		return CacheManagerBuilder.newCacheManagerBuilder().build(true);
	}

	/**
	 * {@code trustledger.engagement.cache=false} turns the cache off (for measuring what
	 * it saves).
	 */
	@Bean
	Cache engagementCache(CacheManager engagementCacheManager,
			@Value("${trustledger.engagement.cache:true}") boolean enabled,
			@Value("${trustledger.engagement.cache-size:10000}") long size) {
		if (!enabled) {
			return NoCache.INSTANCE;
		}
		org.ehcache.Cache<Object, Object> engagements = engagementCacheManager.createCache("engagements",
				CacheConfigurationBuilder.newCacheConfigurationBuilder(Object.class, Object.class,
						ResourcePoolsBuilder.heap(size)));
		return new EhCache3Adapter((Ehcache<?, ?>) engagements);
	}

	/** {@code trustledger.engagement.snapshot-every=0} turns snapshots off. */
	@Bean
	SnapshotTriggerDefinition engagementSnapshotTrigger(Snapshotter snapshotter,
			@Value("${trustledger.engagement.snapshot-every:250}") int threshold) {
		return (threshold > 0) ? new EventCountSnapshotTriggerDefinition(snapshotter, threshold)
				: NoSnapshotTriggerDefinition.INSTANCE;
	}

}
