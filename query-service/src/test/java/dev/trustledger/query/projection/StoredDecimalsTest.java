package dev.trustledger.query.projection;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import java.io.StringWriter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
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
				read.add(StoredDecimals.read(parser));
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
			assertThat(StoredDecimals.hundredths(text.toCharArray(), 0, text.length())).as(text).isNotNull();
		}
		for (String text : List.of("100.01", "1000", "0.001", "1e2", "-", ".5", "5.", "", "+1", "1.2.3", "--1",
				"0x1")) {
			assertThat(StoredDecimals.hundredths(text.toCharArray(), 0, text.length())).as(text).isNull();
		}
		// the text may sit anywhere in the parser's buffer
		char[] buffer = "[12.34,56.78]".toCharArray();
		assertThat(StoredDecimals.hundredths(buffer, 7, 5)).isEqualTo(new BigDecimal("56.78"));
	}

	@Test
	void everySharedDecimalIsWrittenAsTheServicesMapperWritesIt() throws Exception {
		ObjectMapper mapper = ServiceJson.mapper();
		List<String> fromTable = new ArrayList<>();
		List<String> asNumbers = new ArrayList<>();
		for (String text : List.of("100.00", "-100.00", "0.00", "-0.00", "0.05", "-0.5", "62.30", "7.0", "-99.99")) {
			int index = StoredDecimals.index(text.toCharArray(), 0, text.length());
			assertThat(index).as(text).isNotNegative();
		}
		for (int index = 0; index <= 20_000; index++) {
			StringWriter table = new StringWriter();
			StringWriter number = new StringWriter();
			try (JsonGenerator tableJson = mapper.createGenerator(table);
					JsonGenerator numberJson = mapper.createGenerator(number)) {
				// in an object, after a field name, as a point's values are written
				tableJson.writeStartObject();
				tableJson.writeFieldName("a");
				tableJson.writeNumber(1);
				tableJson.writeFieldName("b");
				StoredDecimals.write(tableJson, index);
				tableJson.writeEndObject();
				numberJson.writeStartObject();
				numberJson.writeFieldName("a");
				numberJson.writeNumber(1);
				numberJson.writeFieldName("b");
				numberJson.writeNumber(StoredDecimals.shared(index));
				numberJson.writeEndObject();
			}
			fromTable.add(table.toString());
			asNumbers.add(number.toString());
		}
		assertThat(fromTable).isEqualTo(asNumbers);
		assertThat(asNumbers.get(10_000 + 6_230)).isEqualTo("{\"a\":1,\"b\":62.3}");
		assertThat(asNumbers.get(10_000 - 5)).isEqualTo("{\"a\":1,\"b\":-0.05}");
	}

}
