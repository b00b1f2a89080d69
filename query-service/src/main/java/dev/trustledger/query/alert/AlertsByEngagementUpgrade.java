package dev.trustledger.query.alert;

import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * At start-up, before the projection reads anything: a current generation projected by an
 * earlier version keeps its alerts only in the alerts collection, so they are kept by
 * engagement too ({@link Alerts#keepByEngagement(Generation)}), once. Generations built
 * since have them from the start.
 */
@Component
class AlertsByEngagementUpgrade implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(AlertsByEngagementUpgrade.class);

	private final Generations generations;

	AlertsByEngagementUpgrade(Generations generations) {
		this.generations = generations;
	}

	@Override
	public void afterSingletonsInstantiated() {
		upgrade(this.generations.current());
	}

	static void upgrade(Generation generation) {
		java.util.List<String> existing = generation.database().listCollectionNames().into(new java.util.ArrayList<>());
		if (existing.contains(generation.name(Alerts.BY_ENGAGEMENT))
				|| !existing.contains(generation.name(Alerts.COLLECTION))) {
			return;
		}
		long moved = Alerts.keepByEngagement(generation);
		logger.info("Kept the {} alerts of {} by engagement, as this version reads them", moved, generation);
	}

}
