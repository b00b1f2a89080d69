package dev.trustledger.command.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import dev.trustledger.command.web.InvalidRequestException;
import dev.trustledger.command.web.MalformedJsonException;
import dev.trustledger.command.web.ProblemResponses;
import dev.trustledger.command.web.RequestReader;
import dev.trustledger.events.EngagementEventTypes;
import dev.trustledger.support.PayloadTooLargeException;
import dev.trustledger.support.Problems;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bulk import of NDJSON: one engagement or incident per line, read and answered as a
 * stream, so that neither the file nor the answer is held in memory. Each line gets the
 * same result or problem as the single endpoint would give; a bad line does not stop the
 * others; a last line sums up. An engagement line is an {@code OpenEngagementRequest}; an
 * incident line is an {@code IncidentRequest} (it has a {@code type}) plus the
 * {@code engagementId} it belongs to. A line that is an exported event with its
 * CloudEvents envelope ({@code GET /api/engagements/{id}/events.ndjson} of the query
 * service) is recorded again as the command that produced it. Every command is
 * idempotent, so importing the same file twice stores nothing new.
 */
@RestController
class ImportController {

	static final String NDJSON = "application/x-ndjson";

	private static final Logger log = LoggerFactory.getLogger(ImportController.class);

	private static final int MAX_LINE = 1024 * 1024;

	private static final int FLUSH_EVERY = 50;

	private static final java.util.Set<String> COMMON_INCIDENT_FIELDS = java.util.Set.of("incidentId", "occurredAt",
			"note");

	private final EngagementCommands commands;

	private final RequestReader reader;

	private final ObjectMapper objectMapper;

	ImportController(EngagementCommands commands, RequestReader reader, ObjectMapper objectMapper) {
		this.commands = commands;
		this.reader = reader;
		this.objectMapper = objectMapper;
	}

	@Operation(summary = "Import engagements and incidents from NDJSON",
			description = "Answers with NDJSON: one result or problem per input line, then a summary line.")
	@PostMapping(path = "/api/imports", consumes = { NDJSON, "text/plain" }, produces = NDJSON)
	void importLines(HttpServletRequest request, HttpServletResponse response, Principal principal) throws IOException {
		response.setStatus(HttpStatus.OK.value());
		response.setContentType(NDJSON);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		OutputStream out = response.getOutputStream();
		Summary summary = new Summary();
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(request.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				summary.lines++;
				if (line.isBlank()) {
					summary.blank++;
					continue;
				}
				write(out, answer(summary, line, principal.getName()));
				if (summary.lines % FLUSH_EVERY == 0) {
					out.flush();
				}
			}
		}
		catch (IOException ex) {
			PayloadTooLargeException tooLarge = PayloadTooLargeException.findIn(ex);
			if (tooLarge == null) {
				throw ex;
			}
			summary.truncated = true;
			write(out,
					Map.of("line", summary.lines + 1, "status", 413, "problem", ProblemResponses.problemFor(tooLarge)));
		}
		write(out, Map.of("summary", summary.asMap()));
		out.flush();
		log.info("Import by {}: {}", principal.getName(), summary.asMap());
	}

	private Map<String, Object> answer(Summary summary, String line, String recordedBy) {
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("line", summary.lines);
		try {
			Object result = execute(line, recordedBy);
			answer.put("status", 201);
			answer.put("result", result);
			summary.accepted++;
		}
		catch (RuntimeException ex) {
			ProblemDetail problem = ProblemResponses.problemFor(ex);
			if (problem == null) {
				log.error("Import line {} failed", summary.lines, ex);
				problem = Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", null,
						"This line could not be recorded; see the command service's log.");
			}
			answer.put("status", problem.getStatus());
			answer.put("problem", problem);
			summary.rejected++;
		}
		return answer;
	}

	private Object execute(String line, String recordedBy) {
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
			return executeEnvelope(object, recordedBy);
		}
		if (!object.has("type")) {
			return this.commands.open(this.reader.read(object, OpenEngagementRequest.class), recordedBy);
		}
		JsonNode engagementId = object.remove("engagementId");
		if (engagementId == null || !engagementId.isTextual()) {
			throw new InvalidRequestException(
					List.of(new FieldProblem("engagementId", "an incident line names its engagement")));
		}
		return this.commands.record(engagementId.asText(), this.reader.read(object, IncidentRequest.class), recordedBy);
	}

	/**
	 * An event exported with its CloudEvents envelope (docs/events.md) becomes the
	 * command that records it again: same ids, same times, same facts.
	 */
	private Object executeEnvelope(ObjectNode envelope, String recordedBy) {
		String eventClass = EngagementEventTypes.classOf(envelope.path("type").asText())
			.map(Class::getSimpleName)
			.orElseThrow(() -> new InvalidRequestException(List.of(new FieldProblem("type",
					"is not an engagement event type this service knows: " + envelope.path("type").asText()))));
		if (!(envelope.get("data") instanceof ObjectNode data)) {
			throw new InvalidRequestException(
					List.of(new FieldProblem("data", "an envelope carries its event as a JSON object")));
		}
		ObjectNode fields = data.deepCopy();
		JsonNode engagementId = fields.remove("engagementId");
		if (engagementId == null || !engagementId.isTextual()) {
			throw new InvalidRequestException(
					List.of(new FieldProblem("data.engagementId", "an event names its engagement")));
		}
		fields.remove("recordedBy");
		switch (eventClass) {
			case "EngagementOpened" -> {
				fields.set("engagementId", engagementId);
				return this.commands.open(this.reader.read(fields, OpenEngagementRequest.class), recordedBy);
			}
			case "EngagementClosed" -> {
				return this.commands.close(engagementId.asText(), this.reader.read(fields, LifecycleRequest.class),
						recordedBy);
			}
			case "EngagementReopened" -> {
				return this.commands.reopen(engagementId.asText(), this.reader.read(fields, LifecycleRequest.class),
						recordedBy);
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
				return this.commands.record(engagementId.asText(), this.reader.read(fields, IncidentRequest.class),
						recordedBy);
			}
		}
	}

	private void write(OutputStream out, Object value) throws IOException {
		out.write(this.objectMapper.writeValueAsBytes(value));
		out.write('\n');
	}

	private static final class Summary {

		long lines;

		long blank;

		long accepted;

		long rejected;

		boolean truncated;

		Map<String, Object> asMap() {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("lines", this.lines);
			map.put("accepted", this.accepted);
			map.put("rejected", this.rejected);
			map.put("blank", this.blank);
			map.put("truncated", this.truncated);
			return map;
		}

	}

}
