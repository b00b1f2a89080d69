package dev.trustledger.query.projection;

import java.io.IOException;
import java.math.BigDecimal;

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

	static {
		for (int hundredths = -10_000; hundredths <= 10_000; hundredths++) {
			BigDecimal decimal = EngagementDocuments.decimal(hundredths / 100.0);
			// its text made once too: every answer that holds it writes it
			decimal.toString();
			HUNDREDTHS[hundredths + 10_000] = decimal;
		}
	}

	private StoredDecimals() {
	}

	/** The decimal the parser's current number token stands for. */
	static BigDecimal read(JsonParser parser) throws IOException {
		BigDecimal shared = hundredths(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
		return (shared != null) ? shared : EngagementDocuments.decimal(parser.getDoubleValue());
	}

	/**
	 * The shared decimal a number's text stands for: an optional minus, at most three
	 * digits, and at most two decimals; {@code null} for any other text.
	 */
	static BigDecimal hundredths(char[] text, int offset, int length) {
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
				return null;
			}
			value = value * 10 + (next - '0');
			if ((decimals < 0) ? ++whole > 3 : ++decimals > 2) {
				return null;
			}
		}
		if (whole == 0 || decimals == 0) {
			return null;
		}
		long hundredths = value * ((decimals < 0) ? 100 : (decimals == 1) ? 10 : 1);
		if (hundredths > 10_000) {
			return null;
		}
		return HUNDREDTHS[(int) (negative ? -hundredths : hundredths) + 10_000];
	}

}
