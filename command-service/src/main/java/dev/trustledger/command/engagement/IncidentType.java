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

	PROBLEM_STATEMENT_AGREED(fields(Field.SEVERITY), fields(Field.INCIDENT_REF)),

	/** An outcome: what the client decided at renewal. */
	RENEWAL_DECIDED(fields(Field.DECISION), fields()),

	/**
	 * An outcome: the client went over the account team's heads to the vendor's
	 * leadership.
	 */
	CLIENT_ESCALATED(fields(Field.SEVERITY), fields()),

	/** An outcome: how the engagement ended; it closes the engagement. */
	ENGAGEMENT_ENDED(fields(Field.ENDING), fields()),

	/** A party kept back information or access the work needs. */
	INFORMATION_WITHHELD(fields(Field.PARTY, Field.SEVERITY), fields()),

	/** A party gave it, perhaps ending a withholding ({@code incidentRef}). */
	INFORMATION_SHARED(fields(Field.PARTY), fields(Field.INCIDENT_REF)),

	/** A decision the work waits for was not made when needed. */
	DECISION_STALLED(fields(Field.SEVERITY), fields()),

	/** It was made, perhaps ending a stall ({@code incidentRef}). */
	DECISION_MADE(fields(), fields(Field.INCIDENT_REF)),

	/** A party resisted the change the engagement exists to bring. */
	CHANGE_RESISTED(fields(Field.PARTY, Field.SEVERITY), fields()),

	/** Someone on the client's side beyond the sponsor took part. */
	STAKEHOLDER_ENGAGED(fields(Field.PERSON), fields()),

	/** Someone on the client's side beyond the sponsor stopped taking part. */
	STAKEHOLDER_LOST(fields(Field.PERSON, Field.SEVERITY), fields());

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

	/**
	 * The type-specific fields of an incident request, by their JSON names, with what a
	 * form needs to ask for each: a label, the kind of input, and the values a choice
	 * takes.
	 */
	enum Field {

		PARTY("party", "Party", Input.CHOICE, option("VENDOR", "Vendor (us)"), option("CLIENT", "Client")),

		SEVERITY("severity", "Severity (1–5)", Input.NUMBER),

		PROMISE_ID("promiseId", "Promise id", Input.PROMISE),

		DUE_BY("dueBy", "Due by", Input.INSTANT),

		SPONSOR("sponsor", "Sponsor", Input.TEXT),

		INCIDENT_REF("incidentRef", "Incident it refers to (id)", Input.INCIDENT),

		DECISION("decision", "Renewal decision", Input.CHOICE, option("RENEWED", "Renewed"),
				option("EXPANDED", "Renewed and expanded"), option("CONTRACTED", "Renewed with less scope"),
				option("NOT_RENEWED", "Not renewed")),

		ENDING("ending", "How it ended", Input.CHOICE, option("COMPLETED_AS_AGREED", "Completed as agreed"),
				option("ENDED_BY_CLIENT", "Ended by the client"), option("ENDED_BY_VENDOR", "Ended by the vendor")),

		PERSON("person", "Person on the client's side", Input.TEXT);

		private final String json;

		private final String label;

		private final Input input;

		private final java.util.List<Option> options;

		Field(String json, String label, Input input, Option... options) {
			this.json = json;
			this.label = label;
			this.input = input;
			this.options = java.util.List.of(options);
		}

		String json() {
			return this.json;
		}

		String label() {
			return this.label;
		}

		Input input() {
			return this.input;
		}

		java.util.List<Option> options() {
			return this.options;
		}

		private static Option option(String value, String label) {
			return new Option(value, label);
		}

	}

	/**
	 * The kind of input a field takes: a choice among its options, a whole number from 1
	 * to 5, free text, an instant, or the id of a promise or an incident of the
	 * engagement.
	 */
	enum Input {

		CHOICE, NUMBER, TEXT, INSTANT, PROMISE, INCIDENT

	}

	/** One value a choice takes, and how a form shows it. */
	@io.swagger.v3.oas.annotations.media.Schema(name = "IncidentFieldOption")
	record Option(String value, String label) {
	}

}
