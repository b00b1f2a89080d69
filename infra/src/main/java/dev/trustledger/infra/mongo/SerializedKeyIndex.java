package dev.trustledger.infra.mongo;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import org.h2.mvstore.MVMap;

/**
 * A unique index kept in an H2 map, as mongo-java-server's own H2 index keeps it, but
 * keyed by {@link SerializedKey} so that a lookup serializes its key once.
 */
final class SerializedKeyIndex extends AbstractUniqueIndex<Object> {

	private final MVMap<SerializedKey, Object> map;

	SerializedKeyIndex(MVMap<SerializedKey, Object> map, String name, List<IndexKey> keys, boolean sparse) {
		super(name, keys, sparse);
		this.map = map;
	}

	@Override
	protected Object removeDocument(KeyValue key) {
		return this.map.remove(SerializedKey.of(key));
	}

	@Override
	protected boolean putKeyPosition(KeyValue key, Object position) {
		return this.map.putIfAbsent(SerializedKey.of(key), Missing.ofNullable(position)) == null;
	}

	@Override
	protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
		return () -> this.map.entrySet().stream().map(SerializedKeyIndex::byKeyValue).iterator();
	}

	private static Map.Entry<KeyValue, Object> byKeyValue(Map.Entry<SerializedKey, Object> entry) {
		return new SimpleImmutableEntry<>(entry.getKey().value(), entry.getValue());
	}

	@Override
	protected Object getPosition(KeyValue key) {
		return this.map.get(SerializedKey.of(key));
	}

	@Override
	public long getCount() {
		return this.map.sizeAsLong();
	}

	@Override
	public boolean isEmpty() {
		return this.map.isEmpty();
	}

	@Override
	public long getDataSize() {
		return getCount();
	}

}
