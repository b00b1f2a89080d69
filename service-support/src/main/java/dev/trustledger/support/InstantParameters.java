package dev.trustledger.support;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import org.springframework.format.FormatterRegistry;
import org.springframework.format.Parser;
import org.springframework.format.Printer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Query parameters that are instants ({@code asOf}, {@code knownAt}, {@code from},
 * {@code to}): ISO-8601, from 1970 on and with a four-digit year, the range a business
 * fact can have. Anything else is refused as unreadable (400, naming the parameter)
 * before it reaches a calculation that cannot hold it, such as a month a billion years
 * away.
 */
public class InstantParameters implements WebMvcConfigurer {

	static final Instant EARLIEST = Instant.EPOCH;

	static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

	@Override
	public void addFormatters(FormatterRegistry registry) {
		registry.addFormatterForFieldType(Instant.class, (Printer<Instant>) (instant, locale) -> instant.toString(),
				(Parser<Instant>) InstantParameters::parse);
	}

	static Instant parse(String text, Locale locale) {
		Instant instant;
		try {
			instant = Instant.parse(text.strip());
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("not an ISO-8601 instant: " + text, ex);
		}
		if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
			throw new IllegalArgumentException("outside 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z: " + text);
		}
		return instant;
	}

}
