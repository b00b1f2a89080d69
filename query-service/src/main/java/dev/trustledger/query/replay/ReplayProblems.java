package dev.trustledger.query.replay;

import dev.trustledger.support.Problems;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A replay started while another runs gets a 409 problem naming the running one, from
 * whichever endpoint started it: rebuilds, candidate models and parked-record retries.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ReplayProblems {

	@ExceptionHandler(Replays.ReplayConflictException.class)
	ResponseEntity<ProblemDetail> replayRunning(Replays.ReplayConflictException ex) {
		return Problems.answer(HttpStatus.CONFLICT, "replay-running", "replay", "Replay " + ex.running()
				+ " is running; follow it at /api/replays/" + ex.running() + " or cancel it first.");
	}

}
