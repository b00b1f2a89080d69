package dev.trustledger.query.replay;

import java.net.URI;
import java.util.Map;

import dev.trustledger.query.generation.Generations;
import dev.trustledger.support.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rebuilds of every projection from the beginning of the topic, and the generations they
 * build.
 */
@RestController
public class ReplayController {

	private final Replays replays;

	private final Generations generations;

	ReplayController(Replays replays, Generations generations) {
		this.replays = replays;
		this.generations = generations;
	}

	@Operation(summary = "Rebuild every projection into a new generation",
			description = "The current generation keeps serving until the new one has caught up; then it becomes current in one write.")
	@ApiResponse(responseCode = "202", description = "The rebuild was started",
			content = @Content(schema = @Schema(implementation = ReplayAnswers.Started.class)))
	@PostMapping("/api/replays")
	ResponseEntity<ReplayAnswers.Started> start() {
		Replay replay = this.replays.start("REBUILD", this.generations.current().model(), null);
		return accepted(replay.id());
	}

	@Operation(summary = "Every replay: rebuilds and candidate-model runs, with their progress")
	@GetMapping("/api/replays")
	ReplayAnswers.Replays list() {
		return new ReplayAnswers.Replays(this.replays.list().stream().map(ReplayView::of).toList());
	}

	@Operation(summary = "A replay's phase and progress")
	@ApiResponse(responseCode = "200", description = "The replay",
			content = @Content(schema = @Schema(implementation = ReplayView.class)))
	@GetMapping("/api/replays/{id}")
	ResponseEntity<?> replay(@PathVariable String id) {
		ReplayView view = view(id);
		return (view != null) ? ResponseEntity.ok(view)
				: Problems.answer(HttpStatus.NOT_FOUND, "replay-not-found", "id", "There is no replay " + id + ".");
	}

	@Operation(summary = "Cancel a running replay", description = "Its generation is dropped.")
	@ApiResponse(responseCode = "202", description = "Asked to stop; it stops at its next batch",
			content = @Content(schema = @Schema(implementation = ReplayView.class)))
	@DeleteMapping("/api/replays/{id}")
	ResponseEntity<?> cancel(@PathVariable String id) {
		ReplayView view = view(id);
		if (view == null) {
			return Problems.answer(HttpStatus.NOT_FOUND, "replay-not-found", "id", "There is no replay " + id + ".");
		}
		if (!this.replays.cancel(Integer.parseInt(id))) {
			return Problems.answer(HttpStatus.CONFLICT, "replay-finished", "id",
					"Replay " + id + " has already ended (" + view.phase() + ").");
		}
		return ResponseEntity.accepted().body(view(id));
	}

	@Operation(summary = "The generations of projections: which is current, and each one's model and state")
	@GetMapping("/api/generations")
	ReplayAnswers.GenerationList generations() {
		return new ReplayAnswers.GenerationList(this.generations.current().number(),
				this.generations.list()
					.stream()
					.map((document) -> new ReplayAnswers.Generation(document.get("number", Number.class).intValue(),
							document.getString("model"), document.getString("purpose"), document.getString("state"),
							(document.getDate("createdAt") != null) ? document.getDate("createdAt").toInstant() : null))
					.toList());
	}

	@Operation(summary = "Drop a generation that is not current")
	@ApiResponse(responseCode = "204", description = "Dropped", content = @Content)
	@DeleteMapping("/api/generations/{number}")
	ResponseEntity<?> drop(@PathVariable int number) {
		if (this.replays.building(number)) {
			return Problems.answer(HttpStatus.CONFLICT, "generation-building", "number",
					"Generation " + number
							+ " is being built by a running replay; cancel the replay instead (DELETE /api/replays/"
							+ number + ").");
		}
		try {
			if (!this.generations.drop(number)) {
				return Problems.answer(HttpStatus.NOT_FOUND, "generation-not-found", "number",
						"There is no generation " + number + ".");
			}
			return ResponseEntity.noContent().build();
		}
		catch (IllegalStateException ex) {
			return Problems.answer(HttpStatus.CONFLICT, "generation-current", "number",
					"Generation " + number + " is current; switch to another before dropping it.");
		}
	}

	private ReplayView view(String id) {
		if (!id.matches("[0-9]{1,9}")) {
			return null;
		}
		Map<String, Object> view = this.replays.view(Integer.parseInt(id));
		return (view != null) ? ReplayView.of(view) : null;
	}

	public static ResponseEntity<ReplayAnswers.Started> accepted(int id) {
		return ResponseEntity.accepted()
			.location(URI.create("/api/replays/" + id))
			.body(new ReplayAnswers.Started(String.valueOf(id), id, "/api/replays/" + id));
	}

}
