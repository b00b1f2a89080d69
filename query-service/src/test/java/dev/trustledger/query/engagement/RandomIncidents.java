package dev.trustledger.query.engagement;

import java.time.Instant;
import java.util.Random;

import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.Party;
import dev.trustledger.events.partnership.StoodByPartner;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.events.responsibility.BlameDeflected;

/**
 * Incidents for scoring tests that need trust to move both ways: a broken promise, a
 * deflected blame or a partner stood by, of random severity, on engagement {@code e}.
 */
final class RandomIncidents {

	private RandomIncidents() {
	}

	static EngagementEvent next(Random random, long sequence, Instant at) {
		int severity = 1 + random.nextInt(5);
		return switch (random.nextInt(3)) {
			case 0 -> new PromiseBroken("e", "b" + sequence, null, Party.VENDOR, severity, null, at, "alice");
			case 1 -> new BlameDeflected("e", "d" + sequence, Party.CLIENT, null, severity, null, at, "alice");
			default -> new StoodByPartner("e", "s" + sequence, Party.VENDOR, severity, null, at, "alice");
		};
	}

}
