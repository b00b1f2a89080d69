package dev.trustledger.query.projection;

import java.io.IOException;
import java.time.Instant;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

/**
 * RFC 3339 timestamps in the one shape the services write them
 * ({@code 2026-03-01T09:30:00Z}, with up to nine fraction digits and a {@code Z} or a
 * {@code ±hh:mm} offset), read directly; anything else, valid or not, goes to
 * {@code java.time}'s own parser, which decides. A rebuild reads three timestamps per
 * event, and {@code java.time}'s general parser took a seventh of its reading thread.
 */
final class Timestamps {

	private Timestamps() {
	}

	/** The instant of an RFC 3339 date-time, as {@link OffsetDateTime#parse} reads it. */
	static Instant parse(CharSequence text) {
		Instant instant = direct(text);
		return (instant != null) ? instant : OffsetDateTime.parse(text).toInstant();
	}

	/**
	 * Jackson reading {@link Instant}s through {@link #direct}, its own way otherwise.
	 */
	static SimpleModule jacksonModule() {
		return new SimpleModule("trustledger-timestamps").addDeserializer(Instant.class, new InstantReader());
	}

	/**
	 * @return the instant, or {@code null} when the text is not in the services' own
	 * shape or not a valid date-time
	 */
	static Instant direct(CharSequence text) {
		int length = text.length();
		if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
				|| text.charAt(13) != ':' || text.charAt(16) != ':') {
			return null;
		}
		int year = digits(text, 0, 4);
		int month = digits(text, 5, 2);
		int day = digits(text, 8, 2);
		int hour = digits(text, 11, 2);
		int minute = digits(text, 14, 2);
		int second = digits(text, 17, 2);
		if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
				|| second < 0 || second > 59 || day > Month.of(month).length(Year.isLeap(year))) {
			return null;
		}
		int at = 19;
		int nanos = 0;
		if (text.charAt(at) == '.') {
			int first = ++at;
			while (at < length && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
				nanos = nanos * 10 + (text.charAt(at++) - '0');
			}
			int count = at - first;
			if (count == 0 || count > 9) {
				return null;
			}
			for (int i = count; i < 9; i++) {
				nanos *= 10;
			}
		}
		int offset;
		if (at == length - 1 && text.charAt(at) == 'Z') {
			offset = 0;
		}
		else if (at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-') && text.charAt(at + 3) == ':') {
			int hours = digits(text, at + 1, 2);
			int minutes = digits(text, at + 4, 2);
			if (hours < 0 || hours > 17 || minutes < 0 || minutes > 59) {
				return null;
			}
			offset = ((text.charAt(at) == '+') ? 1 : -1) * (hours * 3600 + minutes * 60);
		}
		else {
			return null;
		}
		long days = java.time.LocalDate.of(year, month, day).toEpochDay();
		long seconds = days * 86_400L + hour * 3600L + minute * 60L + second - offset;
		return Instant.ofEpochSecond(seconds, nanos);
	}

	/**
	 * Whether {@code text}, which {@link #direct} read as {@code instant}, is what
	 * {@link Instant#toString()} prints for it: in UTC, with no fraction when it has no
	 * nanoseconds, else with three, six or nine digits, the fewest that hold it.
	 */
	static boolean printsAs(Instant instant, CharSequence text) {
		int nanos = instant.getNano();
		int length = (nanos == 0) ? 20 : (nanos % 1_000_000 == 0) ? 24 : (nanos % 1000 == 0) ? 27 : 30;
		return text.length() == length && text.charAt(length - 1) == 'Z';
	}

	/** The decimal number of {@code count} ASCII digits from {@code from}, or -1. */
	private static int digits(CharSequence text, int from, int count) {
		int value = 0;
		for (int i = from; i < from + count; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	private static final class InstantReader extends StdDeserializer<Instant> {

		private final JsonDeserializer<Instant> standard = InstantDeserializer.INSTANT;

		InstantReader() {
			super(Instant.class);
		}

		@Override
		public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
			if (parser.hasToken(JsonToken.VALUE_STRING)) {
				Instant instant = direct(parser.getText());
				if (instant != null) {
					return instant;
				}
			}
			return this.standard.deserialize(parser, context);
		}

	}

}
