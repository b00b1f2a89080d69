package dev.trustledger.events;

import dev.trustledger.events.partnership.ProblemStatementAgreed;
import dev.trustledger.events.partnership.StoodByPartner;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.events.promise.PromiseKept;
import dev.trustledger.events.promise.PromiseMade;
import dev.trustledger.events.responsibility.BlameDeflected;
import dev.trustledger.events.responsibility.ClientSharedBlame;
import dev.trustledger.events.responsibility.ResponsibilityTaken;

/** Which side an incident is about, where it is about one side. */
public final class Parties {

	private Parties() {
	}

	/**
	 * @return the acting party, {@link Party#CLIENT} for shared blame, or {@code null}
	 * for incidents that belong to neither side alone (a sponsor change, an agreed
	 * problem statement)
	 */
	public static Party of(IncidentEvent incident) {
		if (incident instanceof PromiseMade made) {
			return made.party();
		}
		if (incident instanceof PromiseKept kept) {
			return kept.party();
		}
		if (incident instanceof PromiseBroken broken) {
			return broken.party();
		}
		if (incident instanceof ResponsibilityTaken taken) {
			return taken.party();
		}
		if (incident instanceof ClientSharedBlame) {
			return Party.CLIENT;
		}
		if (incident instanceof BlameDeflected deflected) {
			return deflected.party();
		}
		if (incident instanceof StoodByPartner stood) {
			return stood.party();
		}
		if (incident instanceof ProblemStatementAgreed) {
			return null;
		}
		return null;
	}

}
