package dev.trustledger.query.projection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimestampsTest {

	@Test
	void readsWhatJavaTimeReadsFromTheServicesOwnShape() {
		Random random = new Random(9);
		int direct = 0;
		for (int i = 0; i < 50_000; i++) {
			Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
					switch (random.nextInt(4)) {
						case 0 -> 0;
						case 1 -> random.nextInt(1000) * 1_000_000;
						case 2 -> random.nextInt(1_000_000) * 1000;
						default -> random.nextInt(1_000_000_000);
					});
			ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-17 * 60, 17 * 60) * 60);
			for (String text : List.of(instant.toString(), instant.atOffset(offset).toString())) {
				Instant expected = OffsetDateTime.parse(text).toInstant();
				assertThat(Timestamps.parse(text)).as(text).isEqualTo(expected);
				if (Timestamps.direct(text) != null) {
					direct++;
				}
			}
		}
		// nearly all of them went the direct way (java.time writes 00:00 offsets as Z,
		// and drops seconds that are zero from an offset date-time)
		assertThat(direct).isGreaterThan(90_000);
	}

	@Test
	void leavesEverythingElseToJavaTime() {
		for (String valid : List.of("2026-03-01T09:30Z", "2026-03-01t09:30:00z", "2026-03-01T09:30:00+01:00:30",
				"+12026-03-01T09:30:00Z", "2026-03-01T09:30:00-18:00", "2026-03-01T09:30:00.Z",
				"2024-02-29T23:59:59.999999999Z")) {
			assertThat(Timestamps.parse(valid)).as(valid).isEqualTo(OffsetDateTime.parse(valid).toInstant());
		}
		for (String invalid : List.of("2026-02-29T09:30:00Z", "2026-13-01T09:30:00Z", "2026-03-01T24:00:00Z",
				"2026-03-01T09:60:00Z", "2026-03-01T09:30:00.1234567890Z", "2026-03-01T09:30:00",
				"2026-03-01T09:30:00+19:00", "2026-03-01 09:30:00Z", "2026-0a-01T09:30:00Z")) {
			assertThat(Timestamps.direct(invalid)).as(invalid).isNull();
			assertThatThrownBy(() -> Timestamps.parse(invalid)).as(invalid).isInstanceOf(DateTimeParseException.class);
		}
	}

	@Test
	void jacksonReadsInstantsAsBeforeStringsAndNumbersAlike() throws Exception {
		ObjectMapper standard = new ObjectMapper().registerModule(new JavaTimeModule());
		ObjectMapper direct = standard.copy().registerModule(Timestamps.jacksonModule());
		for (String json : List.of("\"2026-03-01T09:30:00.125Z\"", "\"2026-03-01T10:30:00+01:00\"",
				"\"2026-03-01T09:30:00.000000001-05:30\"", "1772357400.125", "1772357400125")) {
			assertThat(direct.readValue(json, Instant.class)).as(json)
				.isEqualTo(standard.readValue(json, Instant.class));
		}
		assertThatThrownBy(() -> direct.readValue("\"not a time\"", Instant.class))
			.isInstanceOf(com.fasterxml.jackson.databind.exc.InvalidFormatException.class);
	}

}
