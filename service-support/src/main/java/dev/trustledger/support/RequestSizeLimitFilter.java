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
 * problem+json and nothing is stored. A body other than an import's must also be
 * well-formed UTF-8 ({@link Utf8Validator}), checked as it is read: the import checks
 * line by line, so that one bad line does not end it.
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
		boolean importing = request.getRequestURI().startsWith(this.importPath);
		long limit = importing ? this.maxImportBody.toBytes() : this.maxBody.toBytes();
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
		chain.doFilter(new LimitedRequest(request, limit, !importing), response);
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private final boolean utf8;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long limit, boolean utf8) {
			super(request);
			this.limit = limit;
			this.utf8 = utf8;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new CountingInputStream(super.getInputStream(), this.limit,
						this.utf8 ? new Utf8Validator() : null);
			}
			return this.stream;
		}

	}

	private static final class CountingInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long limit;

		private long count;

		private final Utf8Validator utf8;

		CountingInputStream(ServletInputStream delegate, long limit, Utf8Validator utf8) {
			this.delegate = delegate;
			this.limit = limit;
			this.utf8 = utf8;
		}

		@Override
		public int read() throws IOException {
			int read = this.delegate.read();
			if (read >= 0) {
				count(1);
				if (this.utf8 != null) {
					this.utf8.update(read);
				}
			}
			else if (this.utf8 != null) {
				this.utf8.finish();
			}
			return read;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int read = this.delegate.read(buffer, offset, length);
			if (read > 0) {
				count(read);
				if (this.utf8 != null) {
					this.utf8.update(buffer, offset, read);
				}
			}
			else if (read < 0 && this.utf8 != null) {
				this.utf8.finish();
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
