package dev.trustledger.events;

/**
 * Names in the public CloudEvents envelope of an engagement event on Kafka
 * ({@code docs/events.md}). Extension names follow the CloudEvents rule: lower-case
 * letters and digits only.
 */
public final class EventEnvelope {

	/** {@code source} is this prefix followed by the engagement id. */
	public static final String SOURCE_PREFIX = "/trustledger/engagements/";

	/** Integer extension: the event's sequence number within its engagement, from 0. */
	public static final String SEQUENCE = "aggregatesequence";

	/**
	 * Timestamp extension: when it happened in the business; {@code time} is when it was
	 * recorded.
	 */
	public static final String OCCURRED_AT = "occurredat";

	/** String extension: the principal who recorded it. */
	public static final String RECORDED_BY = "recordedby";

	/**
	 * The W3C trace context of the request that recorded the event: the CloudEvents
	 * distributed-tracing extension, absent when there was none.
	 */
	public static final String TRACEPARENT = "traceparent";

	/** The W3C trace state that goes with {@link #TRACEPARENT}, when there is one. */
	public static final String TRACESTATE = "tracestate";

	private EventEnvelope() {
	}

}
