package dev.trustledger.command.engagement;

import java.util.EnumSet;
import java.util.Set;

import dev.trustledger.events.Party;

/**
 * The kinds of incident the command API records. Each names the fields it needs and the
 * only ones it accepts besides the common ones (incidentId, type, occurredAt, note); each
 * dispatches its own command.
 */
public enum IncidentType {

	PROMISE_MADE(fields(Field.PARTY, Field.SEVERITY, Field.DUE_BY), fields(Field.PROMISE_ID)),

	PROMISE_KEPT(fields(Field.PROMISE_ID), fields()),

	/** Party and severity may be left out when {@code promiseId} names a made promise. */
	PROMISE_BROKEN(fields(), fields(Field.PROMISE_ID, Field.PARTY, Field.SEVERITY)),

	/** Severity may be left out when {@code incidentRef} names the incident owned. */
	RESPONSIBILITY_TAKEN(fields(Field.PARTY), fields(Field.INCIDENT_REF, Field.SEVERITY)),

	/** Always the client's; party, if given, must be CLIENT. */
	CLIENT_SHARED_BLAME(fields(Field.INCIDENT_REF), fields(Field.PARTY, Field.SEVERITY)),

	BLAME_DEFLECTED(fields(Field.PARTY), fields(Field.INCIDENT_REF, Field.SEVERITY)),

	SPONSOR_LOST(fields(Field.SEVERITY), fields(Field.SPONSOR)),

	SPONSOR_GAINED(fields(Field.SPONSOR), fields()),

	STOOD_BY_PARTNER(fields(Field.PARTY, Field.SEVERITY), fields()),

	PROBLEM_STATEMENT_AGREED(fields(Field.SEVERITY), fields(Field.INCIDENT_REF));

	private final Set<Field> required;

	private final Set<Field> accepted;

	IncidentType(Set<Field> required, Set<Field> optional) {
		this.required = required;
		this.accepted = EnumSet.copyOf(required);
		this.accepted.addAll(optional);
	}

	Set<Field> required() {
		return this.required;
	}

	Set<Field> accepted() {
		return this.accepted;
	}

	/** Whether a request of this type takes the type-specific field of this JSON name. */
	public boolean takes(String field) {
		return this.accepted.stream().anyMatch((accepted) -> accepted.json().equals(field));
	}

	/** The type of the incident an event of this class records, if it is one. */
	public static java.util.Optional<IncidentType> ofEvent(String eventClassName) {
		String name = eventClassName.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
		return java.util.Arrays.stream(values()).filter((type) -> type.name().equals(name)).findFirst();
	}

	/** The party this type implies, if any. */
	Party impliedParty() {
		return (this == CLIENT_SHARED_BLAME) ? Party.CLIENT : null;
	}

	private static Set<Field> fields(Field... fields) {
		return (fields.length == 0) ? EnumSet.noneOf(Field.class) : EnumSet.of(fields[0], fields);
	}

	/** The type-specific fields of an incident request, by their JSON names. */
	enum Field {

		PARTY("party"), SEVERITY("severity"), PROMISE_ID("promiseId"), DUE_BY("dueBy"), SPONSOR("sponsor"),
		INCIDENT_REF("incidentRef");

		private final String json;

		Field(String json) {
			this.json = json;
		}

		String json() {
			return this.json;
		}

	}

}
