package dev.trustledger.query.projection;

import java.io.IOException;
import java.math.BigDecimal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

/**
 * The decimals of stored timeline rows, read from their JSON text without making a number
 * each. A row's decimal is the one {@link EngagementDocuments#decimal} makes of the
 * double its text reads as (the double's shortest form: {@code 62.30} reads as
 * {@code 62.3}), which is what the timeline answers and the exports have always written.
 * The scoring engine writes hundredths from -100 to 100, so those are made once, here,
 * and shared; any other text (an exponent, a third decimal, a larger number) is read as
 * before, through the double.
 * <p>
 * Why by hand: under the read load driver, turning each stored number into a double, then
 * into its shortest text and a new {@link BigDecimal}, and writing that out again took
 * about a quarter of a first timeline read's samples (JFR; docs/performance.md, runs 23
 * to 26), and every cached bucket held a dozen numbers a point of its own.
 */
final class StoredDecimals {

	/** The hundredths from -100.00 to 100.00, by hundredths + 10,000. */
	private static final BigDecimal[] HUNDREDTHS = new BigDecimal[20_001];

	/** Room for each shared decimal's text in {@link #TEXTS}: "-100.0" is the longest. */
	private static final int STRIDE = 8;

	/**
	 * The text each shared decimal is written as, at its index times {@link #STRIDE}, all
	 * in one array of 320 KB, with their lengths beside it.
	 */
	private static final char[] TEXTS = new char[HUNDREDTHS.length * STRIDE];

	private static final byte[] LENGTHS = new byte[HUNDREDTHS.length];

	static {
		for (int hundredths = -10_000; hundredths <= 10_000; hundredths++) {
			BigDecimal decimal = EngagementDocuments.decimal(hundredths / 100.0);
			int index = hundredths + 10_000;
			HUNDREDTHS[index] = decimal;
			// as JsonGenerator.writeNumber(BigDecimal) writes it (plain or not: these
			// have no exponent)
			String text = decimal.toString();
			text.getChars(0, text.length(), TEXTS, index * STRIDE);
			LENGTHS[index] = (byte) text.length();
		}
	}

	private StoredDecimals() {
	}

	/**
	 * The decimal the parser's current number token stands for, given its {@link #index}:
	 * the shared one, or the one its double makes.
	 */
	static BigDecimal read(JsonParser parser, int index) throws IOException {
		return (index >= 0) ? shared(index) : EngagementDocuments.decimal(parser.getDoubleValue());
	}

	/**
	 * The index of the shared decimal the parser's current number token stands for, or -1
	 * for none.
	 */
	static int index(JsonParser parser) throws IOException {
		return index(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
	}

	/** The shared decimal at an {@link #index}. */
	static BigDecimal shared(int index) {
		return HUNDREDTHS[index];
	}

	/**
	 * Writes the shared decimal at an {@link #index} as {@code writeNumber} writes it
	 * into JSON text, from its place in one array of their texts. A first timeline read
	 * writes a couple of thousand of them: through {@code writeNumber}, each one read the
	 * decimal, its text and the text's bytes, three objects among 60,000 spread over the
	 * heap, and under the read load driver that was about 30 % of the query service's
	 * samples while it answered such reads (docs/performance.md, run 38). The generator
	 * must write JSON text (a token buffer would keep a raw value, not a number) and must
	 * not be writing numbers as strings.
	 */
	static void write(JsonGenerator json, int index) throws IOException {
		json.writeRawValue(TEXTS, index * STRIDE, LENGTHS[index]);
	}

	/**
	 * The index of the shared decimal a number's text stands for: an optional minus, at
	 * most three digits, and at most two decimals; -1 for any other text.
	 */
	static int index(char[] text, int offset, int length) {
		int at = offset;
		int end = offset + length;
		boolean negative = at < end && text[at] == '-';
		if (negative) {
			at++;
		}
		long value = 0;
		int whole = 0;
		// -1 before the point
		int decimals = -1;
		for (; at < end; at++) {
			char next = text[at];
			if (next == '.' && decimals < 0) {
				decimals = 0;
				continue;
			}
			if (next < '0' || next > '9') {
				return -1;
			}
			value = value * 10 + (next - '0');
			if ((decimals < 0) ? ++whole > 3 : ++decimals > 2) {
				return -1;
			}
		}
		if (whole == 0 || decimals == 0) {
			return -1;
		}
		long hundredths = value * ((decimals < 0) ? 100 : (decimals == 1) ? 10 : 1);
		if (hundredths > 10_000) {
			return -1;
		}
		return (int) (negative ? -hundredths : hundredths) + 10_000;
	}

}
