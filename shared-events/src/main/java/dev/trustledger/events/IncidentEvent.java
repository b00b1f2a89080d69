package dev.trustledger.events;

/**
 * An event recorded as an incident: it carries the caller's incident id, which is also
 * its idempotency key, and may be referred to by later incidents.
 */
public interface IncidentEvent extends EngagementEvent {

	String incidentId();

}
