package dev.trustledger.query.portfolio;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import dev.trustledger.query.alert.AlertDetector;
import dev.trustledger.query.alert.OpenAlerts;
import dev.trustledger.query.alert.SweptEngagements;
import dev.trustledger.query.engagement.EngagementView;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.projection.EngagementCommitted;
import dev.trustledger.query.projection.EngagementDocuments;
import dev.trustledger.query.projection.EngagementEventSeen;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.query.projection.ScoreProjection;
import dev.trustledger.query.projection.TimelineLayout;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The portfolio in memory: one small row per engagement of the current generation, kept
 * in a map by id and in six sorted sets (trust, mutual responsibility and 30-day change,
 * each ascending and descending, ties by id), so that a page is read from the front of a
 * sorted set instead of sorting every engagement for every request.
 * <p>
 * It is loaded once from the store, in the background, when this instance starts and
 * whenever the current generation changes; until it is ready, {@link #table} answers
 * {@code null} and the portfolio is read from the store. It is kept up to date from two
 * sources: every engagement this instance's projection commits, at once; and every event
 * this instance's live feed sees on the topic, which may be projected by another instance
 * of the consumer group: that engagement is read again by its id once its document has
 * reached the event's sequence, soon after, with back-off while it has not.
 */
@Component
public class PortfolioIndex implements SmartLifecycle, OpenAlerts, SweptEngagements {

	private static final Logger logger = LoggerFactory.getLogger(PortfolioIndex.class);

	/** What a row is made from: the document without what can grow. */
	static final List<String> EXCLUDED = List.of("promises", "historyMonths", "sequenceGaps", TimelineLayout.FIELD);

	/**
	 * What a row is read without: the history's months are read to be kept as numbers
	 * ({@link Row#months}).
	 */
	private static final List<String> NOT_READ = List.of("promises", "sequenceGaps", TimelineLayout.FIELD);

	/** How long after an event is seen its engagement is first read again. */
	private static final long FIRST_TRY_MILLIS = 1_000;

	/** The longest wait between two reads of an engagement awaited. */
	private static final long MAX_BACK_OFF_MILLIS = 30_000;

	/** An engagement whose document never reaches a sequence is given up after this. */
	private static final long GIVE_UP_MILLIS = 10 * 60_000;

	private final Generations generations;

	private final EngagementProjection projection;

	private final long refreshMillis;

	private volatile Table table;

	private volatile Table loading;

	private final Map<String, Awaited> awaited = new ConcurrentHashMap<>();

	private ScheduledExecutorService executor;

	private volatile boolean running;

	PortfolioIndex(Generations generations, EngagementProjection projection,
			@Value("${trustledger.portfolio.refresh-interval-ms:250}") long refreshMillis) {
		this.generations = generations;
		this.projection = projection;
		this.refreshMillis = refreshMillis;
	}

	/** The index of the current generation, or {@code null} while it is being loaded. */
	Table table() {
		Table current = this.table;
		int generation = this.generations.current().number();
		if (current != null && current.generation == generation) {
			return current;
		}
		Table pending = this.loading;
		if (this.running && (pending == null || pending.generation != generation)) {
			startLoading(this.generations.current());
		}
		return null;
	}

	private synchronized void startLoading(Generation generation) {
		if (this.loading != null && this.loading.generation == generation.number()) {
			return;
		}
		Table next = new Table(generation.number());
		this.loading = next;
		this.executor.execute(() -> load(generation, next));
	}

	private void load(Generation generation, Table next) {
		long started = System.nanoTime();
		try {
			generation.collection(EngagementProjection.COLLECTION)
				.find()
				.projection(Projections.exclude(NOT_READ))
				.batchSize(500)
				.forEach((document) -> next.upsert(Row.of(document)));
			synchronized (this) {
				if (this.loading == next) {
					this.table = next;
					this.loading = null;
				}
			}
			logger.info("Portfolio index of generation {} loaded: {} engagements in {} ms", next.generation,
					next.rows.size(), (System.nanoTime() - started) / 1_000_000);
		}
		catch (RuntimeException ex) {
			logger.warn("Portfolio index of generation {} not loaded ({}); the portfolio is read from the store",
					next.generation, ex.toString());
			synchronized (this) {
				if (this.loading == next) {
					this.loading = null;
				}
			}
		}
	}

	/**
	 * What says the portfolio of a generation is unchanged since: equal only while the
	 * index has taken no change; {@code null} while the index is being loaded.
	 */
	Object version(int generation) {
		Table current = this.table;
		return (current != null && current.generation == generation) ? new Version(current.id, current.version.get())
				: null;
	}

	@Override
	public List<Document> open(int limit) {
		Table current = table();
		return (current != null) ? current.openAlerts(limit) : null;
	}

	@Override
	public boolean forEach(int generation, java.util.function.Consumer<Document> action) {
		Table current = this.table;
		if (current == null || current.generation != generation) {
			return false;
		}
		current.rows.values().forEach((row) -> action.accept(row.document()));
		return true;
	}

	/**
	 * An engagement this instance's projection committed: into the table in use and the
	 * one being loaded, read together so that a load finishing meanwhile loses nothing.
	 */
	@EventListener
	void committed(EngagementCommitted committed) {
		Row row = Row.of(committed.engagement());
		synchronized (this) {
			for (Table target : new Table[] { this.table, this.loading }) {
				if (target != null && target.generation == committed.generation()) {
					target.upsert(row);
				}
			}
		}
	}

	/** An event on the topic, which this instance or another may project. */
	@EventListener
	void seen(EngagementEventSeen seen) {
		Table current = this.table;
		Row row = (current != null) ? current.rows.get(seen.engagementId()) : null;
		if (row != null && row.lastSequence() >= seen.sequence()) {
			return;
		}
		// awaited even while the index loads: the load may have read it before
		long now = System.currentTimeMillis();
		this.awaited.merge(seen.engagementId(), new Awaited(seen.sequence(), now, now + FIRST_TRY_MILLIS, 0),
				(before, next) -> (next.sequence() > before.sequence()) ? next : before);
	}

	/** Reads again the engagements whose events were seen but not yet committed here. */
	private void refresh() {
		Table current = this.table;
		if (current == null || this.awaited.isEmpty()) {
			return;
		}
		Generation generation = this.generations.current();
		if (generation.number() != current.generation) {
			return;
		}
		long now = System.currentTimeMillis();
		for (Map.Entry<String, Awaited> entry : this.awaited.entrySet()) {
			String engagementId = entry.getKey();
			Awaited waiting = entry.getValue();
			Row row = current.rows.get(engagementId);
			if (row != null && row.lastSequence() >= waiting.sequence()) {
				this.awaited.remove(engagementId, waiting);
				continue;
			}
			if (now < waiting.nextTry()) {
				continue;
			}
			try {
				Document document = generation.collection(EngagementProjection.COLLECTION)
					.find(Filters.eq("_id", engagementId))
					.projection(Projections.exclude(NOT_READ))
					.first();
				if (document != null) {
					current.upsert(Row.of(document));
				}
				Row read = current.rows.get(engagementId);
				if ((read != null && read.lastSequence() >= waiting.sequence())
						|| now - waiting.since() > GIVE_UP_MILLIS) {
					this.awaited.remove(engagementId, waiting);
				}
				else {
					long backOff = Math.min(MAX_BACK_OFF_MILLIS, FIRST_TRY_MILLIS << Math.min(5, waiting.attempts()));
					this.awaited.replace(engagementId, waiting,
							new Awaited(waiting.sequence(), waiting.since(), now + backOff, waiting.attempts() + 1));
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Engagement {} not read again for the portfolio: {}", engagementId, ex.toString());
				return;
			}
		}
	}

	@Override
	public void start() {
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "portfolio-index");
			thread.setDaemon(true);
			return thread;
		});
		this.running = true;
		startLoading(this.generations.current());
		this.executor.scheduleWithFixedDelay(this::refresh, this.refreshMillis, this.refreshMillis,
				TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		this.running = false;
		this.executor.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** A table and how many changes it had taken: equal only for the same table. */
	private record Version(long table, long changes) {
	}

	private record Awaited(long sequence, long since, long nextTry, int attempts) {
	}

	/** The three orders of the portfolio. */
	enum Sort {

		TRUST(Row::trust, EngagementView::trust), RESPONSIBILITY(Row::mutual, EngagementView::mutualResponsibility),
		CHANGE(Row::change, EngagementView::trend30d);

		private final Function<Row, Double> key;

		private final Function<EngagementView, BigDecimal> score;

		Sort(Function<Row, Double> key, Function<EngagementView, BigDecimal> score) {
			this.key = key;
			this.score = score;
		}

		/**
		 * Ascending: no score first, as the store sorts a missing value; descending: no
		 * score last. Ties by id, ascending, either way.
		 */
		Comparator<Row> order(boolean descending) {
			Comparator<Double> values = Comparator.nullsFirst(Comparator.<Double>naturalOrder());
			if (descending) {
				values = values.reversed();
			}
			return Comparator.comparing(this.key, values).thenComparing(Row::id);
		}

		/**
		 * The same order of views that all have this score (the portfolio as of a date):
		 * ties by id, ascending, either way.
		 */
		Comparator<EngagementView> views(boolean descending) {
			Comparator<EngagementView> order = Comparator.comparing(this.score);
			return (descending ? order.reversed() : order).thenComparing(EngagementView::engagementId);
		}

	}

	/** One generation's rows, by id and in every order. */
	static final class Table {

		private static final AtomicLong TABLES = new AtomicLong();

		final int generation;

		/** Which table this is, of every one this instance made. */
		final long id = TABLES.incrementAndGet();

		final Map<String, Row> rows = new ConcurrentHashMap<>();

		/** Counts the changes taken. */
		final AtomicLong version = new AtomicLong();

		/** Every row, in every order. */
		private final Slice all = new Slice();

		/**
		 * The rows of each value of an equality filter ({@code band=},
		 * {@code deliveryLead=}, {@code accountTeam=}), in every order: a filtered page
		 * reads only its filter's rows, and counts them without reading them when that is
		 * its only filter.
		 */
		private final Map<String, Slice> slices = new ConcurrentHashMap<>();

		/** Every row's open alerts, the most recent first. */
		private final ConcurrentSkipListSet<Document> open = new ConcurrentSkipListSet<>(
				Comparator.comparing((Document alert) -> alert.getDate("occurredAt"))
					.thenComparing((alert) -> alert.getString("alertId"))
					.reversed());

		Table(int generation) {
			this.generation = generation;
		}

		/** Keeps the row unless the one kept is of a later sequence. */
		synchronized void upsert(Row row) {
			Row before = this.rows.get(row.id());
			if (before != null && before.lastSequence() > row.lastSequence()) {
				return;
			}
			this.rows.put(row.id(), row);
			this.version.incrementAndGet();
			if (before != null) {
				this.all.remove(before);
				for (String key : Filter.keys(before)) {
					this.slices.get(key).remove(before);
				}
			}
			this.all.add(row);
			for (String key : Filter.keys(row)) {
				this.slices.computeIfAbsent(key, (name) -> new Slice()).add(row);
			}
			if (before != null) {
				before.openAlerts().forEach(this.open::remove);
			}
			this.open.addAll(row.openAlerts());
		}

		/**
		 * One page of the rows that match, in order, and how many match in all. Without a
		 * filter: the front of the sorted set. With equality filters: the rows of the
		 * smallest of their slices, counted without a pass when that filter is the only
		 * one, else tested one by one. With only the stale filter (which depends on the
		 * time of the request): one pass over every row.
		 */
		Page page(Sort sort, boolean descending, Filter filter, int page, int size) {
			Slice smallest = null;
			for (String key : filter.keys()) {
				Slice slice = this.slices.getOrDefault(key, Slice.EMPTY);
				if (smallest == null || slice.count() < smallest.count()) {
					smallest = slice;
				}
			}
			Iterable<Row> ordered = ((smallest != null) ? smallest : this.all).ordered(sort, descending);
			boolean onlyItsSlice = smallest != null && filter.keys().size() == 1 && filter.stale() == null;
			boolean tested = !filter.isEmpty() && !onlyItsSlice;
			long skip = (long) page * size;
			List<Row> items = new ArrayList<>(size);
			long matched = 0;
			for (Row row : ordered) {
				if (tested && !filter.test(row)) {
					continue;
				}
				if (matched >= skip && items.size() < size) {
					items.add(row);
				}
				matched++;
				if (!tested && items.size() == size) {
					break;
				}
			}
			// counts as they are after the items were read
			long total = filter.isEmpty() ? this.rows.size() : onlyItsSlice ? smallest.count() : matched;
			return new Page(items, total);
		}

		/** Every row, in no order. */
		java.util.Collection<Row> rows() {
			return this.rows.values();
		}

		/**
		 * The open alerts: the latest alert of each kind of every engagement whose
		 * condition still holds, most recent first, from the front of their sorted set.
		 */
		List<Document> openAlerts(int limit) {
			List<Document> found = new ArrayList<>(Math.min(limit, 64));
			for (Document alert : this.open) {
				if (found.size() == limit) {
					break;
				}
				found.add(alert);
			}
			return found;
		}

	}

	record Page(List<Row> items, long total) {
	}

	/**
	 * What a portfolio page is filtered by; {@code null} for a filter not asked for.
	 *
	 * @param band a band, in upper case
	 * @param stale whether stale or not
	 * @param staleBefore an engagement whose latest event occurred before this is stale
	 */
	record Filter(String band, String deliveryLead, String accountTeam, Boolean stale, Instant staleBefore) {

		boolean isEmpty() {
			return this.band == null && this.deliveryLead == null && this.accountTeam == null && this.stale == null;
		}

		/** The slices of this filter's equality conditions. */
		List<String> keys() {
			List<String> keys = new ArrayList<>(3);
			if (this.band != null) {
				keys.add("band=" + this.band);
			}
			if (this.deliveryLead != null) {
				keys.add("deliveryLead=" + this.deliveryLead);
			}
			if (this.accountTeam != null) {
				keys.add("accountTeam=" + this.accountTeam);
			}
			return keys;
		}

		/** The slices a row is in. */
		static List<String> keys(Row row) {
			return new Filter(row.band(), row.deliveryLead(), row.accountTeam(), null, null).keys();
		}

		boolean test(Row row) {
			return (this.band == null || this.band.equals(row.band()))
					&& (this.deliveryLead == null || this.deliveryLead.equals(row.deliveryLead()))
					&& (this.accountTeam == null || this.accountTeam.equals(row.accountTeam()))
					&& (this.stale == null || (row.lastEventAt() != null
							&& this.stale == row.lastEventAt().isBefore(this.staleBefore)));
		}

	}

	/**
	 * Rows (all of them, or those of one filter value) in every order, and how many they
	 * are.
	 */
	static final class Slice {

		static final Slice EMPTY = new Slice();

		private final Map<Sort, ConcurrentSkipListSet<Row>> ascending = new EnumMap<>(Sort.class);

		private final Map<Sort, ConcurrentSkipListSet<Row>> descending = new EnumMap<>(Sort.class);

		private final AtomicLong count = new AtomicLong();

		Slice() {
			for (Sort sort : Sort.values()) {
				this.ascending.put(sort, new ConcurrentSkipListSet<>(sort.order(false)));
				this.descending.put(sort, new ConcurrentSkipListSet<>(sort.order(true)));
			}
		}

		void add(Row row) {
			for (Sort sort : Sort.values()) {
				this.ascending.get(sort).add(row);
				this.descending.get(sort).add(row);
			}
			this.count.incrementAndGet();
		}

		void remove(Row row) {
			for (Sort sort : Sort.values()) {
				this.ascending.get(sort).remove(row);
				this.descending.get(sort).remove(row);
			}
			this.count.decrementAndGet();
		}

		long count() {
			return this.count.get();
		}

		Iterable<Row> ordered(Sort sort, boolean descending) {
			return (descending ? this.descending : this.ascending).get(sort);
		}

	}

	/**
	 * What the portfolio shows and filters of one engagement.
	 *
	 * @param document the engagement's document without {@link #EXCLUDED}
	 * @param months the months its history has events in, as numbers
	 * ({@link dev.trustledger.query.projection.ScoreProjection.Subject}): what the
	 * portfolio as of a date needs to find its checkpoints
	 */
	record Row(String id, Document document, long lastSequence, Double trust, Double mutual, Double change, String band,
			String deliveryLead, String accountTeam, Instant lastEventAt, List<Document> openAlerts,
			EngagementView item, int[] months) {

		static Row of(Document document) {
			Document source = new Document(document);
			int[] months = ScoreProjection.Subject
				.of(source.getString("_id"), source.getList("historyMonths", String.class, List.of()))
				.months();
			EXCLUDED.forEach(source::remove);
			Document scores = source.get("scores", Document.class);
			Date lastEventAt = source.getDate("lastEventAt");
			Number lastSequence = source.get("lastSequence", Number.class);
			return new Row(source.getString("_id"), source, (lastSequence != null) ? lastSequence.longValue() : -1,
					number(scores, "trust"), number(scores, "mutualResponsibility"), number(scores, "trend30d"),
					(scores != null) ? scores.getString("band") : null, source.getString("deliveryLead"),
					source.getString("accountTeam"), (lastEventAt != null) ? lastEventAt.toInstant() : null,
					openAlerts(source), EngagementView.of(source, 0, Instant.MIN), months);
		}

		private static Double number(Document scores, String key) {
			Object value = (scores != null) ? scores.get(key) : null;
			return (value instanceof Number number) ? number.doubleValue() : null;
		}

		/** The latest alert of each kind whose condition still holds. */
		private static List<Document> openAlerts(Document document) {
			Document latest = document.get("latestAlerts", Document.class);
			Document state = document.get("alertState", Document.class);
			if (latest == null || state == null) {
				return List.of();
			}
			AlertDetector.State holding = EngagementDocuments.alertState(document);
			List<Document> open = new ArrayList<>(2);
			for (String kind : AlertDetector.KINDS) {
				if (holding.holds(kind) && latest.containsKey(kind)) {
					open.add(latest.get(kind, Document.class));
				}
			}
			return open;
		}

	}

}
