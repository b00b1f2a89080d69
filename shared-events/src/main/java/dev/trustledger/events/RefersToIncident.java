package dev.trustledger.events;

/**
 * An incident that answers an earlier incident of its engagement: responsibility taken
 * for a miss, blame shared or deflected, information given after it was withheld, a
 * decision made after it stalled, a problem statement agreed about a setback. The
 * engagement records it only once the incident it names is recorded.
 */
public interface RefersToIncident extends IncidentEvent {

	/** The incident it answers, or {@code null} when it answers none in particular. */
	String incidentRef();

}
