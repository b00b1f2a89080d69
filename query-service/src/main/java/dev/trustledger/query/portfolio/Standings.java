package dev.trustledger.query.portfolio;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.mongodb.client.model.Filters;
import dev.trustledger.query.engagement.EngagementView;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.query.projection.ScoreProjection;
import dev.trustledger.scoring.ScoringEngine;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Every engagement as it stood at a business time, for the portfolio {@code asOf}: the
 * engagements opened by then taken from the portfolio index (from the store while it
 * loads), each scored from the checkpoint of its last event by then
 * ({@link ScoreProjection#standings}), the engagements shared out over the cores. What
 * one business time gave is kept for the next pages, filters and orders, for as long as
 * the portfolio index has seen no change; a few business times are kept, the least
 * recently used dropped first, and so is each order of it, sorted the first time a page
 * asks for it: a page then filters and pages a sorted list instead of sorting every
 * engagement again. Requests for a business time being computed wait for that
 * computation.
 */
@Component
class Standings implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(Standings.class);

	private final EngagementProjection projection;

	private final ScoreProjection scores;

	private final PortfolioIndex index;

	private final ExecutorService workers;

	private final int parallelism;

	private final Map<String, Cached> cache;

	private final Map<String, CompletableFuture<AsOf>> computing = new ConcurrentHashMap<>();

	Standings(EngagementProjection projection, ScoreProjection scores, PortfolioIndex index,
			@Value("${trustledger.portfolio.as-of-cache-size:4}") int cacheSize) {
		this.projection = projection;
		this.scores = scores;
		this.index = index;
		this.parallelism = Math.max(1, Runtime.getRuntime().availableProcessors());
		this.workers = Executors.newFixedThreadPool(this.parallelism, (task) -> {
			Thread thread = new Thread(task, "portfolio-as-of");
			thread.setDaemon(true);
			return thread;
		});
		this.cache = Collections.synchronizedMap(new LinkedHashMap<>(8, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
				return size() > cacheSize;
			}

		});
	}

	/** Every engagement opened by {@code asOf}, as it stood then. */
	AsOf get(Generation generation, Instant asOf) {
		String key = generation.number() + "@" + asOf;
		Object version = this.index.version(generation.number());
		Cached cached = this.cache.get(key);
		if (version != null && cached != null && cached.version().equals(version)) {
			return cached.standings();
		}
		// one computation of a business time at a time: the others asking wait for it
		CompletableFuture<AsOf> mine = new CompletableFuture<>();
		CompletableFuture<AsOf> running = this.computing.putIfAbsent(key, mine);
		if (running != null) {
			return running.join();
		}
		try {
			AsOf standings = new AsOf(compute(generation, asOf));
			if (version != null) {
				this.cache.put(key, new Cached(version, standings));
			}
			mine.complete(standings);
			return standings;
		}
		finally {
			// whatever happened, nobody waits for this computation any longer
			mine.completeExceptionally(new IllegalStateException("The portfolio as of " + asOf + " was not computed"));
			this.computing.remove(key, mine);
		}
	}

	private List<EngagementView> compute(Generation generation, Instant asOf) {
		long started = System.nanoTime();
		List<Opened> engagements = new ArrayList<>();
		PortfolioIndex.Table table = this.index.table();
		boolean fromIndex = table != null && table.generation == generation.number();
		if (fromIndex) {
			Date by = Date.from(asOf);
			for (PortfolioIndex.Row row : table.rows()) {
				Date openedAt = row.document().getDate("openedAt");
				if (openedAt != null && !openedAt.after(by)) {
					engagements.add(new Opened(row.document(), new ScoreProjection.Subject(row.id(), row.months())));
				}
			}
			engagements.sort(Comparator.comparing((opened) -> opened.subject().engagementId()));
		}
		else {
			this.projection.forEach(generation, Filters.lte("openedAt", Date.from(asOf)),
					(document) -> engagements.add(new Opened(document, ScoreProjection.Subject
						.of(document.getString("_id"), document.getList("historyMonths", String.class, List.of())))));
		}
		long read = System.nanoTime();
		int share = Math.max(1, (engagements.size() + this.parallelism - 1) / this.parallelism);
		List<CompletableFuture<List<EngagementView>>> parts = new ArrayList<>();
		for (int from = 0; from < engagements.size(); from += share) {
			List<Opened> part = engagements.subList(from, Math.min(engagements.size(), from + share));
			parts.add(CompletableFuture.supplyAsync(() -> standings(generation, part, asOf), this.workers));
		}
		List<EngagementView> standings = new ArrayList<>(engagements.size());
		for (CompletableFuture<List<EngagementView>> part : parts) {
			standings.addAll(part.join());
		}
		log.info("The portfolio as of {}: {} engagements in {} ms ({} ms reading them from the {}, {} ms scoring them)",
				asOf, engagements.size(), (System.nanoTime() - started) / 1_000_000, (read - started) / 1_000_000,
				fromIndex ? "portfolio index" : "store", (System.nanoTime() - read) / 1_000_000);
		return standings;
	}

	private List<EngagementView> standings(Generation generation, List<Opened> part, Instant asOf) {
		Map<String, ScoreProjection.Standing> standings = this.scores.standings(generation,
				part.stream().map(Opened::subject).toList(), asOf);
		int staleDays = generation.engine().model().staleAfterDays();
		List<EngagementView> items = new ArrayList<>(part.size());
		for (Opened opened : part) {
			ScoreProjection.Standing standing = standings.get(opened.subject().engagementId());
			ScoringEngine.Scores scores = standing.scores();
			items.add(EngagementView.standing(opened.document(), asOf, scores,
					scores.trustPoints().subtract(standing.monthBefore().trustPoints()), standing.lastEventAt(),
					staleDays));
		}
		return items;
	}

	/** An engagement opened by the business time asked: its document, and its months. */
	private record Opened(Document document, ScoreProjection.Subject subject) {
	}

	@Override
	public void destroy() {
		this.workers.shutdownNow();
	}

	private record Cached(Object version, AsOf standings) {
	}

	private record Order(PortfolioIndex.Sort sort, boolean descending) {
	}

	/**
	 * Every engagement opened by a business time, as it stood then, and each order of
	 * them asked for so far.
	 */
	static final class AsOf {

		private final List<EngagementView> byId;

		private final Map<Order, List<EngagementView>> orders = new ConcurrentHashMap<>();

		AsOf(List<EngagementView> byId) {
			this.byId = Collections.unmodifiableList(byId);
		}

		/**
		 * Sorted by {@code sort}, then by id: sorted once, the first time it is asked for
		 * (those asking for it meanwhile wait for that sort).
		 */
		List<EngagementView> sorted(PortfolioIndex.Sort sort, boolean descending) {
			return this.orders.computeIfAbsent(new Order(sort, descending), (order) -> {
				List<EngagementView> sorted = new ArrayList<>(this.byId);
				sorted.sort(sort.views(descending));
				return Collections.unmodifiableList(sorted);
			});
		}

	}

}
