package dev.trustledger.support;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * What Tomcat answers itself, for a request it refuses before any application sees it (a
 * path with an encoded NUL, say): problem+json like every other rejection, in place of
 * Tomcat's HTML error report. Registered as the host's error report valve.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		java.util.concurrent.atomic.AtomicBoolean ioAllowed = new java.util.concurrent.atomic.AtomicBoolean(true);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		org.springframework.http.HttpStatus resolved = org.springframework.http.HttpStatus.resolve(status);
		String reason = (resolved != null) ? resolved.getReasonPhrase() : "Error";
		String code = reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
		String body = "{\"type\":\"" + Problems.TYPE_BASE.resolve(code) + "\",\"title\":\"" + reason + "\",\"status\":"
				+ status + ",\"detail\":\"The request was refused before it reached the API: " + reason
				+ ".\",\"code\":\"" + code + "\"}";
		try {
			response.setContentType("application/problem+json");
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(body);
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client is gone: nothing to tell it
		}
	}

}
