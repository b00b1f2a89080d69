package dev.trustledger.cli;

import java.io.PrintStream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Follows a replay until it ends, drawing a progress bar on a terminal and one line every
 * few seconds otherwise (a log, a pipe).
 */
final class Progress {

	private static final int WIDTH = 30;

	private Progress() {
	}

	/** Polls until the replay ends; answers its last state. */
	static JsonNode follow(ApiClient api, String replayId, PrintStream out, boolean terminal, long pollMillis) {
		long lastLine = 0;
		JsonNode replay;
		while (true) {
			replay = api.get("/api/replays/" + replayId);
			boolean finished = isFinished(replay);
			if (terminal) {
				out.print("\r" + bar(replay));
				if (finished) {
					out.println();
				}
			}
			else if (finished || System.currentTimeMillis() - lastLine >= 5_000) {
				out.println(bar(replay));
				lastLine = System.currentTimeMillis();
			}
			out.flush();
			if (finished) {
				return replay;
			}
			try {
				Thread.sleep(pollMillis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return replay;
			}
		}
	}

	static boolean isFinished(JsonNode replay) {
		String phase = replay.path("phase").asText();
		return phase.equals("DONE") || phase.equals("CANCELLED") || phase.equals("FAILED");
	}

	static String bar(JsonNode replay) {
		long done = replay.path("eventsProcessed").asLong();
		long total = Math.max(1, replay.path("eventsTotal").asLong());
		int percent = (int) Math.min(100, done * 100 / total);
		if (replay.path("phase").asText().equals("DONE")) {
			percent = 100;
		}
		int filled = percent * WIDTH / 100;
		String eta = replay.path("etaSeconds").isNumber() ? replay.path("etaSeconds").asLong() + " s left" : "";
		return String.format("[%s%s] %3d%% %,d/%,d events %,d ev/s %-11s %s", "#".repeat(filled),
				"-".repeat(WIDTH - filled), percent, done, replay.path("eventsTotal").asLong(),
				replay.path("eventsPerSecond").asLong(), replay.path("phase").asText(), eta);
	}

}
