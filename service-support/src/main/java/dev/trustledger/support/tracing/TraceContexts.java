package dev.trustledger.support.tracing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * The W3C trace context as it travels between the services: out of the current span as
 * {@code traceparent} (and {@code tracestate}), into the stored event's metadata, the
 * CloudEvent's distributed-tracing extension and a webhook's headers; and back into a
 * span, so that the work an event causes further on (its projection, an alert, a webhook
 * delivery) continues the trace of the request that recorded it, and its log lines carry
 * the same trace id.
 */
public class TraceContexts {

	public static final String TRACEPARENT = "traceparent";

	public static final String TRACESTATE = "tracestate";

	private final Tracer tracer;

	private final Propagator propagator;

	public TraceContexts(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	/**
	 * The current trace context as {@code traceparent} and, when there is one,
	 * {@code tracestate}; empty outside any trace.
	 */
	public Map<String, String> current() {
		TraceContext context = this.tracer.currentTraceContext().context();
		Map<String, String> carrier = new LinkedHashMap<>();
		if (context != null) {
			this.propagator.inject(context, carrier, (map, key, value) -> {
				if (TRACEPARENT.equals(key) || TRACESTATE.equals(key)) {
					map.put(key, value);
				}
			});
		}
		return carrier;
	}

	/**
	 * Runs {@code work} in a new span named {@code name}: a child of the given
	 * {@code traceparent}, or the root of a new trace when it is absent or unreadable.
	 */
	public <T> T inSpan(String name, String traceparent, String tracestate, Supplier<T> work) {
		Span span;
		if (traceparent != null) {
			Map<String, String> carrier = new LinkedHashMap<>();
			carrier.put(TRACEPARENT, traceparent);
			if (tracestate != null) {
				carrier.put(TRACESTATE, tracestate);
			}
			span = this.propagator.extract(carrier, Map::get).name(name).start();
		}
		else {
			span = this.tracer.nextSpan().name(name).start();
		}
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			return work.get();
		}
		catch (RuntimeException ex) {
			span.error(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

	public void inSpan(String name, String traceparent, String tracestate, Runnable work) {
		inSpan(name, traceparent, tracestate, () -> {
			work.run();
			return null;
		});
	}

}
