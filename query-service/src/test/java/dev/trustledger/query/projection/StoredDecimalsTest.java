package dev.trustledger.query.projection;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.trustledger.query.ServiceJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StoredDecimalsTest {

	private static final JsonFactory JSON = new JsonFactory();

	/**
	 * What a stored number read as before: the double its text reads as, as a decimal.
	 */
	private static BigDecimal throughTheDouble(String text) {
		return EngagementDocuments.decimal(Double.parseDouble(text));
	}

	private static List<BigDecimal> read(List<String> texts) throws Exception {
		List<BigDecimal> read = new ArrayList<>();
		try (JsonParser parser = JSON.createParser("[" + String.join(",", texts) + "]")) {
			assertThat(parser.nextToken()).isEqualTo(JsonToken.START_ARRAY);
			while (parser.nextToken() == JsonToken.VALUE_NUMBER_FLOAT) {
				read.add(StoredDecimals.read(parser, StoredDecimals.index(parser)));
			}
		}
		assertThat(read).hasSameSizeAs(texts);
		return read;
	}

	@Test
	void everyHundredthTheEngineWritesReadsAsTheDecimalOfItsDoubleTextAndAll() throws Exception {
		List<String> texts = new ArrayList<>();
		for (long hundredths = -10_000; hundredths <= 10_000; hundredths++) {
			// as the engine's decimals are written: two decimals, always
			texts.add(BigDecimal.valueOf(hundredths, 2).toPlainString());
		}
		List<BigDecimal> read = read(texts);
		for (int i = 0; i < texts.size(); i++) {
			BigDecimal before = throughTheDouble(texts.get(i));
			assertThat(read.get(i)).as(texts.get(i)).isEqualTo(before);
			assertThat(read.get(i).toString()).as(texts.get(i)).isEqualTo(before.toString());
		}
		assertThat(read(List.of("62.30")).get(0)).isSameAs(read(List.of("62.3")).get(0));
	}

	@Test
	void anyOtherNumberIsReadThroughItsDoubleAsBefore() throws Exception {
		List<String> texts = new ArrayList<>(List.of("100.01", "-100.01", "1000.0", "0.001", "-0.005", "1.5e2", "1E-7",
				"-0.0", "0.0", "12345.678", "99.999", "-7.5"));
		Random random = new Random(5);
		for (int i = 0; i < 2_000; i++) {
			double value = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(9) - 3);
			texts.add(Double.toString(value));
			texts.add(BigDecimal.valueOf(value)
				.setScale(random.nextInt(5), java.math.RoundingMode.HALF_EVEN)
				.toPlainString());
		}
		texts.removeIf((text) -> !text.contains(".") && !text.contains("e") && !text.contains("E"));
		List<BigDecimal> read = read(texts);
		for (int i = 0; i < texts.size(); i++) {
			BigDecimal before = throughTheDouble(texts.get(i));
			assertThat(read.get(i)).as(texts.get(i)).isEqualTo(before);
			assertThat(read.get(i).toString()).as(texts.get(i)).isEqualTo(before.toString());
		}
	}

	@Test
	void onlyPlainTextOfAtMostThreeDigitsAndTwoDecimalsIsShared() {
		for (String text : List.of("100.00", "-100", "0.5", "7", "-0.05", "99.99")) {
			assertThat(StoredDecimals.index(text.toCharArray(), 0, text.length())).as(text).isNotNegative();
		}
		for (String text : List.of("100.01", "1000", "0.001", "1e2", "-", ".5", "5.", "", "+1", "1.2.3", "--1",
				"0x1")) {
			assertThat(StoredDecimals.index(text.toCharArray(), 0, text.length())).as(text).isEqualTo(-1);
		}
		// the text may sit anywhere in the parser's buffer
		char[] buffer = "[12.34,56.78]".toCharArray();
		assertThat(StoredDecimals.shared(StoredDecimals.index(buffer, 7, 5))).isEqualTo(new BigDecimal("56.78"));
	}

	@Test
	void everySharedDecimalIsWrittenAsTheServicesMapperWritesIt() throws Exception {
		Map<String, Integer> indexes = Map.of("100.00", 20_000, "-100.00", 0, "0.00", 10_000, "-0.00", 10_000, "0.05",
				10_005, "-0.5", 9_950, "62.30", 16_230, "7.0", 10_700, "-99.99", 1);
		indexes.forEach((text, index) -> assertThat(StoredDecimals.index(text.toCharArray(), 0, text.length())).as(text)
			.isEqualTo(index));
		ObjectMapper plain = ServiceJson.mapper()
			.copy()
			.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
			.enable(SerializationFeature.INDENT_OUTPUT);
		for (ObjectMapper mapper : List.of(ServiceJson.mapper(), plain)) {
			// as bytes (as the service answers) and as characters; in an object, after a
			// field name, as a point's values are written
			ByteArrayOutputStream tableBytes = new ByteArrayOutputStream();
			ByteArrayOutputStream numberBytes = new ByteArrayOutputStream();
			StringWriter tableText = new StringWriter();
			StringWriter numberText = new StringWriter();
			try (JsonGenerator tableJson = mapper.createGenerator(tableBytes);
					JsonGenerator numberJson = mapper.createGenerator(numberBytes);
					JsonGenerator tableChars = mapper.createGenerator(tableText);
					JsonGenerator numberChars = mapper.createGenerator(numberText)) {
				for (JsonGenerator json : List.of(tableJson, numberJson, tableChars, numberChars)) {
					json.writeStartObject();
				}
				for (int index = 0; index <= 20_000; index++) {
					for (JsonGenerator json : List.of(tableJson, numberJson, tableChars, numberChars)) {
						json.writeFieldName("d" + index);
					}
					StoredDecimals.write(tableJson, index);
					StoredDecimals.write(tableChars, index);
					numberJson.writeNumber(StoredDecimals.shared(index));
					numberChars.writeNumber(StoredDecimals.shared(index));
				}
				for (JsonGenerator json : List.of(tableJson, numberJson, tableChars, numberChars)) {
					json.writeEndObject();
				}
			}
			assertThat(tableBytes.toString(StandardCharsets.UTF_8))
				.isEqualTo(numberBytes.toString(StandardCharsets.UTF_8));
			assertThat(tableText.toString()).isEqualTo(numberText.toString());
			JsonNode written = mapper.readTree(tableBytes.toByteArray());
			assertThat(written.size()).isEqualTo(20_001);
			assertThat(written.get("d16230").decimalValue()).isEqualByComparingTo("62.3");
			assertThat(written.get("d9995").asText()).isEqualTo("-0.05");
		}
	}

}
