package dev.trustledger.query.replay;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** The answers of the history API besides a replay's own view. */
public final class ReplayAnswers {

	private ReplayAnswers() {
	}

	/**
	 * Every replay, the latest first.
	 *
	 * @param replays the replays
	 */
	public record Replays(List<ReplayView> replays) {
	}

	/**
	 * A replay was started.
	 *
	 * @param id the replay
	 * @param generation the generation it builds
	 * @param progress where its progress can be read
	 */
	@Schema(name = "ReplayStarted")
	public record Started(String id, int generation, String progress) {
	}

	/**
	 * The generations of projections.
	 *
	 * @param current the generation the API answers from
	 * @param generations every generation kept
	 */
	@Schema(name = "Generations")
	public record GenerationList(int current, List<Generation> generations) {
	}

	/**
	 * A generation of projections.
	 *
	 * @param number the generation
	 * @param model the scoring model that scored it
	 * @param purpose {@code live}, or the kind of replay that built it in lower case
	 * ({@code rebuild}, {@code candidate}, {@code promotion})
	 * @param state {@code BUILDING}, {@code READY}, {@code CURRENT} or {@code PREVIOUS}
	 * @param createdAt when it was created
	 */
	public record Generation(int number, String model, String purpose, String state,
			@Schema(nullable = true) Instant createdAt) {
	}

}
