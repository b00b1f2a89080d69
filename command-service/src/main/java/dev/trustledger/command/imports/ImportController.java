package dev.trustledger.command.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.command.web.FieldProblem;
import dev.trustledger.command.web.InvalidRequestException;
import dev.trustledger.command.web.MalformedJsonException;
import dev.trustledger.command.web.CommandOutcomes;
import dev.trustledger.command.web.ProblemResponses;
import dev.trustledger.support.PayloadTooLargeException;
import dev.trustledger.support.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bulk import of NDJSON: one engagement or incident per line ({@link ImportLines}), read
 * and answered as a stream, so that neither the file nor the answer is held in memory.
 * Each line gets the same result or problem as the single endpoint would give, in the
 * order of the lines; a bad line does not stop the others; a last line sums up. Lines are
 * read in runs of {@value #RUN_LINES} (or {@value #RUN_CHARS} characters) and each run is
 * written in bulk ({@link BulkWriter}), up to {@value #RUNS_IN_FLIGHT} runs at a time,
 * answered in order as they finish. Every command is idempotent, so importing the same
 * file twice stores nothing new.
 */
@RestController
class ImportController {

	static final String NDJSON = "application/x-ndjson";

	private static final Logger log = LoggerFactory.getLogger(ImportController.class);

	static final int RUN_LINES = 1000;

	static final int RUN_CHARS = 4 * 1024 * 1024;

	/** Runs sent but not yet answered: while they are written, the next ones are read. */
	static final int RUNS_IN_FLIGHT = 4;

	private final ImportLines importLines;

	private final BulkWriter writer;

	private final ObjectMapper objectMapper;

	private final CommandOutcomes outcomes;

	ImportController(ImportLines importLines, BulkWriter writer, ObjectMapper objectMapper, CommandOutcomes outcomes) {
		this.importLines = importLines;
		this.writer = writer;
		this.objectMapper = objectMapper;
		this.outcomes = outcomes;
	}

	@Operation(summary = "Import engagements and incidents from NDJSON",
			description = "Answers with NDJSON: one result or problem per input line, then a summary line.")
	@ApiResponse(responseCode = "200",
			description = "One ImportAnswerLine per input line that is not blank, in order, then one with the summary",
			content = @Content(mediaType = NDJSON, schema = @Schema(implementation = ImportAnswer.class)))
	@PostMapping(path = "/api/imports", consumes = { NDJSON, "text/plain" }, produces = NDJSON)
	void importLines(HttpServletRequest request, HttpServletResponse response, Principal principal) throws IOException {
		response.setStatus(HttpStatus.OK.value());
		response.setContentType(NDJSON);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		OutputStream out = response.getOutputStream();
		Summary summary = new Summary();
		BulkWriter.Session session = new BulkWriter.Session();
		ArrayDeque<Sent> sent = new ArrayDeque<>();
		// only an admin may say when history was first recorded (ImportLines)
		boolean attestsRecording = request.isUserInRole("ADMIN");
		List<BulkWriter.Line> run = new ArrayList<>();
		long runChars = 0;
		PayloadTooLargeException tooLarge = null;
		try (InputStream input = request.getInputStream()) {
			BoundedLines lines = new BoundedLines(input, ImportLines.MAX_LINE);
			BoundedLines.Line line;
			while ((line = lines.next()) != null) {
				summary.lines++;
				if (line.malformed()) {
					run.add(new BulkWriter.Line(summary.lines,
							new MalformedJsonException(new IOException("the line is not well-formed UTF-8"))));
				}
				else if (line.tooLong()) {
					run.add(new BulkWriter.Line(summary.lines,
							new InvalidRequestException(List.of(new FieldProblem("", "a line may hold at most "
									+ ImportLines.MAX_LINE + " characters; this one has " + line.length())))));
				}
				else if (line.text().isBlank()) {
					summary.blank++;
					continue;
				}
				else {
					run.add(plan(summary.lines, line.text(), principal.getName(), attestsRecording));
					runChars += line.length();
				}
				if (run.size() >= RUN_LINES || runChars >= RUN_CHARS) {
					sent.add(new Sent(run, this.writer.submit(run, session)));
					run = new ArrayList<>();
					runChars = 0;
					while (sent.size() > RUNS_IN_FLIGHT) {
						answer(out, sent.poll(), summary);
						session.forgetFinished();
					}
				}
			}
		}
		catch (IOException ex) {
			tooLarge = PayloadTooLargeException.findIn(ex);
			if (tooLarge == null) {
				throw ex;
			}
			summary.truncated = true;
		}
		sent.add(new Sent(run, this.writer.submit(run, session)));
		while (!sent.isEmpty()) {
			answer(out, sent.poll(), summary);
		}
		if (tooLarge != null) {
			ProblemDetail problem = ProblemResponses.problemFor(tooLarge);
			this.outcomes.rejected(problem, "import");
			write(out, ImportAnswer.rejected(summary.lines + 1, problem));
		}
		ImportAnswer.Totals totals = summary.totals();
		write(out, ImportAnswer.summary(totals));
		out.flush();
		log.info("Import by {}: {}", principal.getName(), totals);
	}

	private BulkWriter.Line plan(long number, String line, String recordedBy, boolean attestsRecording) {
		try {
			return new BulkWriter.Line(number, this.importLines.plan(line, recordedBy, attestsRecording));
		}
		catch (RuntimeException ex) {
			return new BulkWriter.Line(number, ex);
		}
	}

	/** A run whose commands were sent, and when they are all answered. */
	private record Sent(List<BulkWriter.Line> run, CompletableFuture<Void> done) {
	}

	/** Waits for a sent run, then answers its lines in order. */
	private void answer(OutputStream out, Sent sent, Summary summary) throws IOException {
		sent.done().join();
		for (BulkWriter.Line line : sent.run()) {
			write(out, answer(line, summary));
		}
		out.flush();
	}

	private ImportAnswer answer(BulkWriter.Line line, Summary summary) {
		if (line.rejection == null) {
			summary.accepted++;
			this.outcomes.accepted("import", "line " + line.number);
			return ImportAnswer.recorded(line.number, line.result);
		}
		ProblemDetail problem = ProblemResponses.problemFor(line.rejection);
		if (problem == null) {
			log.error("Import line {} failed", line.number, line.rejection);
			problem = Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", null,
					"This line could not be recorded; see the command service's log.");
		}
		summary.rejected++;
		this.outcomes.rejected(problem, "import");
		return ImportAnswer.rejected(line.number, problem);
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

		ImportAnswer.Totals totals() {
			return new ImportAnswer.Totals(this.lines, this.accepted, this.rejected, this.blank, this.truncated);
		}

	}

}
