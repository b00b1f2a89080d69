package dev.trustledger.command.web;

/** A body or import line that is not JSON at all. */
public class MalformedJsonException extends RuntimeException {

	public MalformedJsonException(Throwable cause) {
		super("The request body is not valid JSON: " + firstLine(cause.getMessage()), cause);
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "";
		}
		int newline = message.indexOf('\n');
		String first = (newline < 0) ? message : message.substring(0, newline);
		// Jackson quotes the offending input: keep the answer short
		return (first.length() <= 160) ? first : first.substring(0, 157) + "...";
	}

}
