package dev.trustledger.query.export;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.trustledger.events.EventEnvelope;
import dev.trustledger.query.engagement.Timelines;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.projection.EngagementDocuments;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.query.projection.ScoreProjection;
import dev.trustledger.query.projection.TimelineRow;
import dev.trustledger.support.Problems;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.bson.Document;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Streamed exports. Events go out as NDJSON, each line the event with the same
 * CloudEvents envelope it has on Kafka (docs/events.md), so an export can be imported
 * again through the command service's bulk import; timelines go out as CSV. Nothing is
 * collected in memory first: the response is written engagement by engagement as it is
 * read.
 */
@RestController
class ExportController {

	static final String NDJSON = "application/x-ndjson";

	private static final EventFormat FORMAT = new JsonFormat();

	private static final ObjectMapper json = new ObjectMapper();

	private static final List<String> CSV_COLUMNS = List.of("sequence", "eventId", "eventType", "occurredAt", "trust",
			"band", "credibility", "reliability", "intimacy", "selfOrientation", "mutualResponsibility",
			"vendorOwnership", "clientOwnership", "trustChange", "mutualChange", "modelVersion");

	private final Generations generations;

	private final EngagementProjection projection;

	private final ScoreProjection scores;

	private final Timelines timelines;

	ExportController(Generations generations, EngagementProjection projection, ScoreProjection scores,
			Timelines timelines) {
		this.generations = generations;
		this.projection = projection;
		this.scores = scores;
		this.timelines = timelines;
	}

	@Operation(summary = "One engagement's whole history as NDJSON, each event in its Kafka envelope")
	@ApiResponse(responseCode = "200",
			description = "One CloudEvent per line in its structured JSON form, as docs/events.md shows",
			content = @Content(mediaType = NDJSON, schema = @Schema(type = "string")))
	@GetMapping(path = "/api/engagements/{engagementId}/events.ndjson", produces = { NDJSON, "application/json" })
	ResponseEntity<StreamingResponseBody> engagementEvents(@PathVariable String engagementId) {
		Generation generation = this.generations.current();
		Document engagement = this.projection.find(generation, engagementId);
		if (engagement == null) {
			throw new NotFound(engagementId);
		}
		StreamingResponseBody body = (out) -> writeEvents(out, generation, engagement);
		return ndjson(engagementId + "-events.ndjson", body);
	}

	@Operation(summary = "Every engagement's whole history as NDJSON, engagement by engagement")
	@ApiResponse(responseCode = "200",
			description = "One CloudEvent per line in its structured JSON form, as docs/events.md shows",
			content = @Content(mediaType = NDJSON, schema = @Schema(type = "string")))
	@GetMapping(path = "/api/exports/events.ndjson", produces = NDJSON)
	ResponseEntity<StreamingResponseBody> allEvents() {
		Generation generation = this.generations.current();
		StreamingResponseBody body = (out) -> {
			try (MongoCursor<Document> engagements = generation.collection(EngagementProjection.COLLECTION)
				.find()
				.projection(Projections.include("historyMonths"))
				.sort(Sorts.ascending("_id"))
				.batchSize(100)
				.iterator()) {
				while (engagements.hasNext()) {
					writeEvents(out, generation, engagements.next());
				}
			}
		};
		return ndjson("trustledger-events.ndjson", body);
	}

	@Operation(summary = "A timeline as CSV", description = "Same parameters as the timeline.")
	@ApiResponse(responseCode = "200", description = "Every point of the range, never reduced, with a header row",
			content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
	@GetMapping(path = "/api/engagements/{engagementId}/timeline.csv", produces = { "text/csv", "application/json" })
	ResponseEntity<StreamingResponseBody> timelineCsv(@PathVariable String engagementId,
			@RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
			@RequestParam(defaultValue = "event") String granularity) {
		if (!Timelines.knows(granularity)) {
			throw new Rejected(Problems.answer(org.springframework.http.HttpStatus.BAD_REQUEST, "invalid-field",
					"granularity", "granularity is one of event, day, week."));
		}
		Generation generation = this.generations.current();
		Document engagement = this.projection.find(generation, engagementId);
		if (engagement == null) {
			throw new NotFound(engagementId);
		}
		List<TimelineRow> points = this.timelines.read(generation, engagement, from, to, granularity);
		CsvMapper csv = new CsvMapper();
		CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
		CSV_COLUMNS.forEach(schema::addColumn);
		StreamingResponseBody body = (out) -> {
			try (SequenceWriter writer = csv.writer(schema.build()).writeValues(out)) {
				for (TimelineRow point : points) {
					writer.write(row(point.asMap()));
				}
			}
		};
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + engagementId + "-timeline.csv\"")
			.body(body);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> row(Map<String, Object> point) {
		Map<String, Object> components = (Map<String, Object>) point.get("components");
		Map<String, Object> explanation = (Map<String, Object>) point.get("explanation");
		Map<String, Object> row = new java.util.LinkedHashMap<>();
		for (String column : CSV_COLUMNS) {
			Object value = point.get(column);
			if (value == null && components != null) {
				value = components.get(column);
			}
			if (value == null && explanation != null) {
				value = explanation.get(column);
			}
			row.put(column, value);
		}
		return row;
	}

	private void writeEvents(OutputStream out, Generation generation, Document engagement) throws IOException {
		String engagementId = engagement.getString("_id");
		List<String> months = engagement.getList("historyMonths", String.class, List.of());
		for (Map.Entry<Long, Document> entry : this.scores.entries(generation, engagementId, months)) {
			out.write(FORMAT.serialize(envelope(engagementId, entry.getKey(), entry.getValue())));
			out.write('\n');
		}
	}

	/** The event as the command service published it: docs/events.md. */
	static CloudEvent envelope(String engagementId, long sequence, Document entry) {
		String data = EngagementDocuments.data(entry);
		JsonNode fields;
		try {
			fields = json.readTree(data);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		String occurredAt = fields.hasNonNull("occurredAt") ? fields.get("occurredAt").asText()
				: fields.path("openedAt").asText(null);
		CloudEventBuilder builder = CloudEventBuilder.v1()
			.withId(entry.getString("eventId"))
			.withType(entry.getString("type"))
			.withSource(URI.create(EventEnvelope.SOURCE_PREFIX + engagementId))
			.withSubject(engagementId)
			.withTime(Instant.parse(entry.getString("recordedAt")).atOffset(ZoneOffset.UTC))
			.withDataContentType("application/json")
			.withData(oneLine(data, fields))
			.withExtension(EventEnvelope.SEQUENCE, sequence);
		if (occurredAt != null) {
			builder.withExtension(EventEnvelope.OCCURRED_AT, Instant.parse(occurredAt).atOffset(ZoneOffset.UTC));
		}
		String recordedBy = (entry.getString("recordedBy") != null) ? entry.getString("recordedBy")
				: fields.path("recordedBy").asText(null);
		if (recordedBy != null) {
			builder.withExtension(EventEnvelope.RECORDED_BY, recordedBy);
		}
		return builder.build();
	}

	/**
	 * The data as published, unless a line break in it would split the export's line:
	 * JSON strings cannot hold one, so it is layout, and the data is written compactly.
	 */
	private static byte[] oneLine(String data, JsonNode fields) {
		if (data.indexOf('\n') < 0 && data.indexOf('\r') < 0) {
			return data.getBytes(StandardCharsets.UTF_8);
		}
		try {
			return json.writeValueAsBytes(fields);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@ExceptionHandler(NotFound.class)
	ResponseEntity<org.springframework.http.ProblemDetail> notFound(NotFound ex) {
		return Problems.answer(org.springframework.http.HttpStatus.NOT_FOUND, "engagement-not-found", "engagementId",
				"No engagement " + ex.getMessage() + " has been projected.");
	}

	@ExceptionHandler(Rejected.class)
	ResponseEntity<?> rejected(Rejected ex) {
		return ex.answer;
	}

	/** No such engagement: answered as a problem, not as an empty stream. */
	static final class NotFound extends RuntimeException {

		NotFound(String engagementId) {
			super(engagementId);
		}

	}

	/** A parameter the export cannot use: its problem is the answer. */
	static final class Rejected extends RuntimeException {

		private final transient ResponseEntity<?> answer;

		Rejected(ResponseEntity<?> answer) {
			super(String.valueOf(answer.getStatusCode()));
			this.answer = answer;
		}

	}

	private static ResponseEntity<StreamingResponseBody> ndjson(String filename, StreamingResponseBody body) {
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(NDJSON))
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"")
			.body(body);
	}

}
