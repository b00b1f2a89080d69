package dev.trustledger.infra;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.trustledger.events.EngagementEventTypes;
import dev.trustledger.events.EventEnvelope;
import dev.trustledger.scoring.backtest.Backtest;
import dev.trustledger.scoring.synthetic.PortfolioGenerator;

/**
 * The demo's generated portfolio ({@code seeds/generated-portfolio.md}) as lines for the
 * command service's import: every event in the CloudEvents envelope an export writes
 * ({@code docs/events.md}), its {@code time} the instant it was recorded, each
 * engagement's events in its recording order. Incident ids become UUIDs derived from the
 * generator's ids, the same on every run, so that a reference stays a reference and a
 * second load stores nothing new. Imported by an admin, the recording times are kept, and
 * "as known then" and back-tests hold for it as for history recorded live.
 */
public final class GeneratedPortfolio {

	/**
	 * The seed of the demo portfolio, the one whose back-tests docs/scoring.md reports.
	 */
	public static final long SEED = 20261201L;

	/** How many engagements the demo portfolio holds unless told otherwise. */
	public static final int DEFAULT_SIZE = 300;

	private static final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

	private final List<PortfolioGenerator.Generated> engagements;

	private final Instant end;

	/**
	 * @param end the instant the portfolio stands at: nothing in it occurs or is recorded
	 * later
	 */
	public GeneratedPortfolio(int size, Instant end) {
		this.end = end;
		this.engagements = new PortfolioGenerator(SEED, end, size).generate();
	}

	/** The demo's end: the start of today (UTC), so that the portfolio is current. */
	public static Instant today(Clock clock) {
		return LocalDate.now(clock.withZone(ZoneOffset.UTC)).atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	public Instant end() {
		return this.end;
	}

	public List<Backtest.History> histories() {
		return this.engagements.stream().map(PortfolioGenerator.Generated::history).toList();
	}

	public long events() {
		return this.engagements.stream().mapToLong((generated) -> generated.history().events().size()).sum();
	}

	/**
	 * One import line per event: engagement after engagement, each in recording order.
	 */
	public List<String> importLines() {
		List<String> lines = new ArrayList<>();
		for (PortfolioGenerator.Generated generated : this.engagements) {
			for (Backtest.Recorded recorded : generated.history().events()) {
				lines.add(line(recorded));
			}
		}
		return lines;
	}

	private static String line(Backtest.Recorded recorded) {
		ObjectNode data = json.valueToTree(recorded.event());
		for (String reference : List.of("incidentId", "incidentRef")) {
			if (data.path(reference).isTextual()) {
				data.put(reference, incidentUuid(data.path(reference).asText()));
			}
		}
		ObjectNode envelope = json.createObjectNode()
			.put("specversion", "1.0")
			.put("id", incidentUuid(recorded.eventId()))
			.put("source", EventEnvelope.SOURCE_PREFIX + recorded.event().engagementId())
			.put("type", EngagementEventTypes.typeOf(recorded.event().getClass()))
			.put("subject", recorded.event().engagementId())
			.put("time", recorded.recordedAt().toString());
		envelope.set("data", data);
		try {
			return json.writeValueAsString(envelope);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The UUID the API knows a generated incident by. */
	public static String incidentUuid(String generatedId) {
		return UUID.nameUUIDFromBytes(("trustledger-demo\u0000" + generatedId).getBytes(StandardCharsets.UTF_8))
			.toString();
	}

}
