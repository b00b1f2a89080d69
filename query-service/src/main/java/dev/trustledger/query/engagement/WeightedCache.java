package dev.trustledger.query.engagement;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Values kept under keys up to a total weight (points, bytes), the least recently used
 * dropped first when a new one would pass it. Thread-safe.
 */
final class WeightedCache<V> {

	private final Map<String, V> values = new LinkedHashMap<>(64, 0.75f, true);

	private final ToLongFunction<V> weigher;

	private final long capacity;

	private long weight;

	WeightedCache(long capacity, ToLongFunction<V> weigher) {
		this.capacity = capacity;
		this.weigher = weigher;
	}

	synchronized V get(String key) {
		return this.values.get(key);
	}

	synchronized void put(String key, V value) {
		V before = this.values.put(key, value);
		this.weight += this.weigher.applyAsLong(value) - ((before != null) ? this.weigher.applyAsLong(before) : 0);
		Iterator<V> eldest = this.values.values().iterator();
		while (this.weight > this.capacity && eldest.hasNext()) {
			this.weight -= this.weigher.applyAsLong(eldest.next());
			eldest.remove();
		}
	}

}
