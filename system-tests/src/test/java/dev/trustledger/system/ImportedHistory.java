package dev.trustledger.system;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;

/**
 * One engagement's history as the lines of {@code POST /api/imports}: the engagement
 * opened, then its incidents at equal steps, each drawn from the caller's seeded
 * {@link Random}, so that the same seed always gives the same lines.
 */
final class ImportedHistory {

	private ImportedHistory() {
	}

	/**
	 * The engagement opened at {@code opened}, then {@code events - 1} incidents
	 * {@code step} apart: each a broken promise with probability {@code brokenShare}
	 * (otherwise the partner stood by the other), by the vendor seven times in ten, of
	 * severity 1 to 5. Incident ids are derived from the engagement's id and the
	 * incident's place, so an import sent again is recognised as the same.
	 */
	static String lines(String id, String clientName, String accountTeam, String deliveryLead, Instant opened,
			int events, Duration step, double brokenShare, Random random, String note) {
		StringBuilder lines = new StringBuilder(events * 200);
		lines.append(
				"{\"engagementId\":\"%s\",\"clientName\":\"%s\",\"accountTeam\":\"%s\",\"deliveryLead\":\"%s\",\"openedAt\":\"%s\"}\n"
					.formatted(id, clientName, accountTeam, deliveryLead, opened));
		for (int i = 1; i < events; i++) {
			boolean broken = random.nextDouble() < brokenShare;
			String party = (random.nextDouble() < 0.7) ? "VENDOR" : "CLIENT";
			UUID incident = UUID.nameUUIDFromBytes((id + "/" + i).getBytes(StandardCharsets.UTF_8));
			lines.append(
					"{\"engagementId\":\"%s\",\"incidentId\":\"%s\",\"type\":\"%s\",\"party\":\"%s\",\"severity\":%d,\"occurredAt\":\"%s\",\"note\":\"%s\"}\n"
						.formatted(id, incident, broken ? "PROMISE_BROKEN" : "STOOD_BY_PARTNER", party,
								1 + random.nextInt(5), opened.plus(step.multipliedBy(i)), note));
		}
		return lines.toString();
	}

}
