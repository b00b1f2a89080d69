package dev.trustledger.support.security;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Slows password guessing per source: once a source (a remote address) has failed
 * {@code maxFailures} sign-ins with no pause of {@code window} between them, every
 * sign-in from it is refused until it has been quiet for {@code window}, a right password
 * included, so that refusals tell a guesser nothing. Bounded: the busiest sources are
 * kept.
 */
public final class SignInThrottle {

	private final int maxFailures;

	private final Duration window;

	private final Cache<String, AtomicInteger> failures;

	public SignInThrottle(int maxFailures, Duration window) {
		this(maxFailures, window, Ticker.systemTicker());
	}

	SignInThrottle(int maxFailures, Duration window, Ticker ticker) {
		this.maxFailures = maxFailures;
		this.window = window;
		this.failures = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).ticker(ticker).build();
	}

	/** Whether sign-ins from this source are refused for now. */
	public boolean blocked(String source) {
		AtomicInteger count = (source != null) ? this.failures.getIfPresent(key(source)) : null;
		return count != null && count.get() >= this.maxFailures;
	}

	/** A failed sign-in from this source: counted, and the quiet period starts again. */
	public void failed(String source) {
		if (source != null) {
			this.failures.asMap().compute(key(source), (key, count) -> {
				AtomicInteger next = (count != null) ? count : new AtomicInteger();
				next.incrementAndGet();
				return next;
			});
		}
	}

	/**
	 * An IPv4 address as it is; an IPv6 address by its /64 network, which one holder gets
	 * whole: counting each address alone would let a guesser rotate through it.
	 */
	static String key(String source) {
		if (!source.contains(":")) {
			return source;
		}
		try {
			// a literal address: no name is looked up
			byte[] bytes = java.net.InetAddress.getByName(source).getAddress();
			return (bytes.length == 16) ? java.util.HexFormat.of().formatHex(bytes, 0, 8) + "::/64" : source;
		}
		catch (java.net.UnknownHostException ex) {
			return source;
		}
	}

	/** How long a refused source has to stay quiet. */
	public Duration window() {
		return this.window;
	}

}
