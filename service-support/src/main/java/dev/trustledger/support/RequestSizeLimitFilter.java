package dev.trustledger.support;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request bodies have a limit: 1 MiB by default, more for bulk imports. A declared
 * {@code Content-Length} over the limit is refused before anything is read; a chunked
 * body is counted as it is read and fails with {@link PayloadTooLargeException} once it
 * passes the limit, so it is never held in memory. Either way the answer is 413
 * problem+json and nothing is stored.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

	private final DataSize maxBody;

	private final DataSize maxImportBody;

	private final String importPath;

	private final ObjectMapper objectMapper;

	public RequestSizeLimitFilter(DataSize maxBody, DataSize maxImportBody, String importPath,
			ObjectMapper objectMapper) {
		this.maxBody = maxBody;
		this.maxImportBody = maxImportBody;
		this.importPath = importPath;
		this.objectMapper = objectMapper;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long limit = request.getRequestURI().startsWith(this.importPath) ? this.maxImportBody.toBytes()
				: this.maxBody.toBytes();
		if (request.getContentLengthLong() > limit) {
			ProblemDetail problem = Problems.problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", null,
					new PayloadTooLargeException(limit).getMessage());
			response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE.value());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			// the unread body would otherwise be drained by the container
			response.setHeader("Connection", "close");
			this.objectMapper.writeValue(response.getOutputStream(), problem);
			return;
		}
		chain.doFilter(new LimitedRequest(request, limit), response);
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new CountingInputStream(super.getInputStream(), this.limit);
			}
			return this.stream;
		}

	}

	private static final class CountingInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long limit;

		private long count;

		CountingInputStream(ServletInputStream delegate, long limit) {
			this.delegate = delegate;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int read = this.delegate.read();
			if (read >= 0) {
				count(1);
			}
			return read;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int read = this.delegate.read(buffer, offset, length);
			if (read > 0) {
				count(read);
			}
			return read;
		}

		private void count(int read) throws PayloadTooLargeException {
			this.count += read;
			if (this.count > this.limit) {
				throw new PayloadTooLargeException(this.limit);
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
