package dev.trustledger.query.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP receiver of webhooks, in-process on a port of its own: it keeps every
 * request it gets and answers each path with the status set for it (200 unless told). It
 * can be stopped and started again on the same port, as a receiver that goes down for a
 * while.
 */
final class Receiver implements AutoCloseable {

	/** A request as received. */
	record Request(String path, Map<String, List<String>> headers, String body) {

		String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
				.map((entry) -> entry.getValue().get(0))
				.findFirst()
				.orElse(null);
		}

	}

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final Map<String, Integer> statuses = new ConcurrentHashMap<>();

	private volatile HttpServer server;

	private volatile int port;

	Receiver start() {
		return start(0);
	}

	private Receiver start(int port) {
		try {
			HttpServer started = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
			started.createContext("/", (exchange) -> {
				String body;
				try (InputStream in = exchange.getRequestBody()) {
					body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				}
				String path = exchange.getRequestURI().getPath();
				this.requests.add(new Request(path, Map.copyOf(exchange.getRequestHeaders()), body));
				int status = this.statuses.getOrDefault(path, 200);
				if (status == 204) {
					exchange.sendResponseHeaders(status, -1);
				}
				else {
					byte[] answer = ("answered " + status).getBytes(StandardCharsets.UTF_8);
					exchange.sendResponseHeaders(status, answer.length);
					exchange.getResponseBody().write(answer);
				}
				exchange.close();
			});
			started.start();
			this.server = started;
			this.port = started.getAddress().getPort();
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Down: connections to its port are refused. */
	void stop() {
		this.server.stop(0);
	}

	/** Up again, on the same port. */
	void restart() {
		start(this.port);
	}

	void answer(String path, int status) {
		this.statuses.put(path, status);
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	List<Request> requests(String path) {
		return this.requests.stream().filter((request) -> request.path().equals(path)).toList();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
