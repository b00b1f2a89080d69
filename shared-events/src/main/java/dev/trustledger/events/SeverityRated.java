package dev.trustledger.events;

/**
 * An incident with a severity: how much it matters, from 1 (minor) to 5 (the client's
 * business at risk).
 */
public interface SeverityRated extends IncidentEvent {

	int severity();

}
