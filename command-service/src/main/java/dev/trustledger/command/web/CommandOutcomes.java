package dev.trustledger.command.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Counts commands by outcome: {@code trustledger.commands} with {@code outcome}
 * ({@code accepted} or {@code rejected}), the rejection's stable {@code code}
 * ({@code none} when accepted) and {@code via} ({@code http} for the single endpoints,
 * {@code import} for the lines of a bulk import).
 */
@Component
public class CommandOutcomes {

	static final String METER = "trustledger.commands";

	private static final Logger logger = LoggerFactory.getLogger(CommandOutcomes.class);

	private final MeterRegistry registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	CommandOutcomes(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * A command was accepted; {@code what} says which, for the log (DEBUG), whose lines
	 * carry the request's trace id.
	 */
	public void accepted(String via, String what) {
		counter("accepted", "none", via).increment();
		logger.debug("Accepted ({}): {}", via, what);
	}

	public void rejected(ProblemDetail problem, String via) {
		Object code = (problem.getProperties() != null) ? problem.getProperties().get("code") : null;
		counter("rejected", (code != null) ? code.toString() : "unknown", via).increment();
		logger.debug("Rejected ({}): {}", via, code);
	}

	/**
	 * One counter per outcome, code and way in, built once: a command only increments.
	 */
	private Counter counter(String outcome, String code, String via) {
		return this.counters.computeIfAbsent(outcome + "\n" + code + "\n" + via,
				(key) -> Counter.builder(METER)
					.description("Commands accepted and rejected, by the rejection's code")
					.tag("outcome", outcome)
					.tag("code", code)
					.tag("via", via)
					.register(this.registry));
	}

}
