package dev.trustledger.events;

/**
 * An event recorded as an incident: it carries the caller's incident id, which is also
 * its idempotency key, and may be referred to by later incidents.
 */
public interface IncidentEvent extends EngagementEvent {

	String incidentId();

	/**
	 * The side the incident is about: a record with a {@code party} component answers
	 * with it; an incident that belongs to neither side alone (a sponsor change, an
	 * agreed problem statement) answers {@code null}.
	 */
	default Party party() {
		return null;
	}

}
