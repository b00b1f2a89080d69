package dev.trustledger.command.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trustledger.command.engagement.EngagementCommands;
import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.http.ProblemDetail;

/**
 * One line of an import's answer: what became of one input line, or, last, the summary.
 *
 * @param line the input line's number, from 1
 * @param status 201 for a line recorded (or already recorded: every command is
 * idempotent), else the status its problem has
 * @param result what was recorded, as the single command would answer
 * @param problem why the line was rejected
 * @param summary on the last line only: the totals
 */
@Schema(name = "ImportAnswerLine")
@JsonInclude(JsonInclude.Include.NON_NULL)
record ImportAnswer(Long line, Integer status, @Schema(oneOf = {
		EngagementCommands.EngagementRecorded.class, EngagementCommands.IncidentRecorded.class,
		EngagementCommands.LifecycleRecorded.class }) Object result,
		@Schema(ref = "#/components/schemas/Problem") ProblemDetail problem, Totals summary){

	static ImportAnswer recorded(long line, Object result) {
		return new ImportAnswer(line, 201, result, null, null);
	}

	static ImportAnswer rejected(long line, ProblemDetail problem) {
		return new ImportAnswer(line, problem.getStatus(), null, problem, null);
	}

	static ImportAnswer summary(Totals totals) {
		return new ImportAnswer(null, null, null, null, totals);
	}

	/**
	 * What an import did.
	 *
	 * @param lines the lines read
	 * @param accepted the lines recorded
	 * @param rejected the lines rejected, each with its problem
	 * @param blank the blank lines, skipped
	 * @param truncated whether the body stopped at a line too large to read (answered
	 * 413)
	 */
	@Schema(name = "ImportSummary")
	record Totals(long lines, long accepted, long rejected, long blank, boolean truncated) {
	}

}
