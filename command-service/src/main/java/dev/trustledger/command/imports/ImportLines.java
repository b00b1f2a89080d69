package dev.trustledger.command.imports;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.command.engagement.EngagementCommands;
import dev.trustledger.command.engagement.IncidentRequest;
import dev.trustledger.command.engagement.IncidentType;
import dev.trustledger.command.engagement.LifecycleRequest;
import dev.trustledger.command.engagement.OpenEngagementRequest;
import dev.trustledger.command.web.FieldProblem;
import dev.trustledger.command.web.ForbiddenFieldException;
import dev.trustledger.command.web.InvalidRequestException;
import dev.trustledger.command.web.MalformedJsonException;
import dev.trustledger.command.web.RequestReader;
import dev.trustledger.events.EngagementEventTypes;

import org.springframework.stereotype.Component;

/**
 * Reads one import line into the command it stands for, without sending it: an engagement
 * line is an {@code OpenEngagementRequest}; an incident line is an
 * {@code IncidentRequest} (it has a {@code type}) plus the {@code engagementId} it
 * belongs to; a line that is an exported event with its CloudEvents envelope ({@code GET
 * /api/engagements/{id}/events.ndjson} of the query service) becomes the command that
 * produced it. A line that cannot be read is rejected here with the same problem the
 * single endpoint would give.
 * <p>
 * History brought from elsewhere keeps when it was first recorded if an admin imports it:
 * "as known then" (the query service's {@code knownAt}, back-tests) then holds for it as
 * for history recorded here.
 */
@Component
class ImportLines {

	static final int MAX_LINE = 1024 * 1024;

	/**
	 * How far ahead of now a recording time may be, and how far before the fact: clocks
	 * differ between machines, and the engagement accepts an occurred-at that far ahead.
	 */
	static final Duration RECORDING_TOLERANCE = Duration.ofMinutes(5);

	private static final Set<String> COMMON_INCIDENT_FIELDS = Set.of("incidentId", "occurredAt", "note");

	private final EngagementCommands commands;

	private final RequestReader reader;

	private final ObjectMapper objectMapper;

	private final Clock clock;

	ImportLines(EngagementCommands commands, RequestReader reader, ObjectMapper objectMapper, Clock clock) {
		this.commands = commands;
		this.reader = reader;
		this.objectMapper = objectMapper;
		this.clock = clock;
	}

	/**
	 * The command of one line, ready to send.
	 *
	 * @param engagementId the engagement it writes to
	 * @param send sends the command and answers with its result
	 */
	record Planned(String engagementId, Supplier<Object> send) {
	}

	/**
	 * @param attestsRecording whether the importer may say when the line was first
	 * recorded (an admin): a line's {@code recordedAt}, or an envelope's {@code time},
	 * then becomes the event's recording time; otherwise a {@code recordedAt} is refused
	 * and an envelope's {@code time} is not used (the event is recorded now)
	 * @throws RuntimeException a rejection of the line, as the single endpoint would
	 * reject it
	 */
	Planned plan(String line, String recordedBy, boolean attestsRecording) {
		if (line.length() > MAX_LINE) {
			throw new InvalidRequestException(
					List.of(new FieldProblem("", "a line may hold at most " + MAX_LINE + " characters")));
		}
		JsonNode node;
		try {
			node = this.objectMapper.readTree(line);
		}
		catch (JsonProcessingException ex) {
			throw new MalformedJsonException(ex);
		}
		if (!(node instanceof ObjectNode object)) {
			throw new InvalidRequestException(List.of(new FieldProblem("", "each line must be a JSON object")));
		}
		if (object.has("specversion")) {
			return planEnvelope(object, recordedBy, attestsRecording ? object.get("time") : null, "time");
		}
		JsonNode recordedAtNode = object.remove("recordedAt");
		if (recordedAtNode != null && !recordedAtNode.isNull() && !attestsRecording) {
			throw new ForbiddenFieldException("recordedAt",
					"Only an admin may say when history was first recorded; leave recordedAt out to record it now.");
		}
		if (!object.has("type")) {
			OpenEngagementRequest request = withId(this.reader.read(object, OpenEngagementRequest.class));
			Instant recordedAt = recordedAt(recordedAtNode, "recordedAt", request.openedAt(), "openedAt");
			return new Planned(request.engagementId(), () -> this.commands.open(request, recordedBy, recordedAt));
		}
		JsonNode engagementId = object.remove("engagementId");
		if (engagementId == null || !engagementId.isTextual()) {
			throw new InvalidRequestException(
					List.of(new FieldProblem("engagementId", "an incident line names its engagement")));
		}
		IncidentRequest request = this.reader.read(object, IncidentRequest.class);
		Instant recordedAt = recordedAt(recordedAtNode, "recordedAt", request.occurredAt(), "occurredAt");
		return new Planned(engagementId.asText(),
				() -> this.commands.record(engagementId.asText(), request, recordedBy, recordedAt));
	}

	/**
	 * The time a line says it was first recorded, or {@code null} when it says none: a
	 * date-time no earlier than the fact it records (which must then say when it
	 * happened) and no later than now, each within the five minutes' tolerance an
	 * occurred-at has. Whether it is in order with the engagement's history is the
	 * engagement's rule.
	 */
	private Instant recordedAt(JsonNode value, String field, Instant occurredAt, String occurredField) {
		if (value == null || value.isNull()) {
			return null;
		}
		Instant recordedAt;
		try {
			recordedAt = value.isTextual() ? OffsetDateTime.parse(value.asText()).toInstant() : null;
		}
		catch (DateTimeParseException ex) {
			recordedAt = null;
		}
		if (recordedAt == null || recordedAt.isBefore(Instant.EPOCH)) {
			throw new InvalidRequestException(List.of(new FieldProblem(field,
					"must be a date-time with its offset, from 1970 on, such as 2026-11-30T09:00:00Z")));
		}
		if (occurredAt == null) {
			throw new InvalidRequestException(List
				.of(new FieldProblem(occurredField, "history with a recording time must say when it happened")));
		}
		// the same tolerance the other way: an occurred-at may lie a little ahead of the
		// clock that stored it, and a store keeps its times to the millisecond
		if (recordedAt.isBefore(occurredAt.minus(RECORDING_TOLERANCE))) {
			throw new InvalidRequestException(List.of(new FieldProblem(field,
					"is before the fact it records (" + occurredField + " " + occurredAt + ")")));
		}
		if (recordedAt.isAfter(this.clock.instant().plus(RECORDING_TOLERANCE))) {
			throw new InvalidRequestException(List.of(new FieldProblem(field, "lies in the future")));
		}
		return recordedAt;
	}

	/**
	 * An opening line without an id gets one made from what it says, so that importing
	 * the same file again opens nothing new: the same client, team, lead, sponsor and
	 * opening time are the same engagement (docs/domain.md).
	 */
	private static OpenEngagementRequest withId(OpenEngagementRequest request) {
		if (request.engagementId() != null) {
			return request;
		}
		String content = String.join("\u0000", request.clientName(), request.accountTeam(), request.deliveryLead(),
				String.valueOf(request.sponsor()), String.valueOf(request.openedAt()));
		String id = UUID.nameUUIDFromBytes(("trustledger-import\u0000" + content).getBytes(StandardCharsets.UTF_8))
			.toString();
		return new OpenEngagementRequest(id, request.clientName(), request.accountTeam(), request.deliveryLead(),
				request.sponsor(), request.openedAt());
	}

	/**
	 * An event exported with its CloudEvents envelope (docs/events.md) becomes the
	 * command that records it again: same ids, same times, same facts.
	 */
	private Planned planEnvelope(ObjectNode envelope, String recordedBy, JsonNode time, String timeField) {
		String eventClass = EngagementEventTypes.classOf(envelope.path("type").asText())
			.map(Class::getSimpleName)
			.orElseThrow(() -> new InvalidRequestException(List.of(new FieldProblem("type",
					"is not an engagement event type this service knows: " + envelope.path("type").asText()))));
		if (!(envelope.get("data") instanceof ObjectNode data)) {
			throw new InvalidRequestException(
					List.of(new FieldProblem("data", "an envelope carries its event as a JSON object")));
		}
		ObjectNode fields = data.deepCopy();
		JsonNode engagementIdNode = fields.remove("engagementId");
		if (engagementIdNode == null || !engagementIdNode.isTextual()) {
			throw new InvalidRequestException(
					List.of(new FieldProblem("data.engagementId", "an event names its engagement")));
		}
		String engagementId = engagementIdNode.asText();
		fields.remove("recordedBy");
		switch (eventClass) {
			case "EngagementOpened" -> {
				fields.set("engagementId", engagementIdNode);
				OpenEngagementRequest request = this.reader.read(fields, OpenEngagementRequest.class);
				Instant recordedAt = recordedAt(time, timeField, request.openedAt(), "data.openedAt");
				return new Planned(engagementId, () -> this.commands.open(request, recordedBy, recordedAt));
			}
			case "EngagementClosed" -> {
				LifecycleRequest request = this.reader.read(fields, LifecycleRequest.class);
				Instant recordedAt = recordedAt(time, timeField, request.occurredAt(), "data.occurredAt");
				return new Planned(engagementId,
						() -> this.commands.close(engagementId, request, recordedBy, recordedAt));
			}
			case "EngagementReopened" -> {
				LifecycleRequest request = this.reader.read(fields, LifecycleRequest.class);
				Instant recordedAt = recordedAt(time, timeField, request.occurredAt(), "data.occurredAt");
				return new Planned(engagementId,
						() -> this.commands.reopen(engagementId, request, recordedBy, recordedAt));
			}
			default -> {
				IncidentType type = IncidentType.ofEvent(eventClass)
					.orElseThrow(() -> new InvalidRequestException(
							List.of(new FieldProblem("type", "cannot be imported: " + eventClass))));
				for (String note : List.of("description", "reason")) {
					JsonNode text = fields.remove(note);
					if (text != null && !fields.has("note")) {
						fields.set("note", text);
					}
				}
				fields.retain(fields.properties()
					.stream()
					.map(Map.Entry::getKey)
					.filter((name) -> COMMON_INCIDENT_FIELDS.contains(name) || type.takes(name))
					.filter((name) -> !fields.get(name).isNull())
					.toList());
				fields.put("type", type.name());
				IncidentRequest request = this.reader.read(fields, IncidentRequest.class);
				Instant recordedAt = recordedAt(time, timeField, request.occurredAt(), "data.occurredAt");
				return new Planned(engagementId,
						() -> this.commands.record(engagementId, request, recordedBy, recordedAt));
			}
		}
	}

}
