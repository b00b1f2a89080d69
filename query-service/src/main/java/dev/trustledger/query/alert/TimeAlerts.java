package dev.trustledger.query.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.trustledger.events.alert.TrustAlertRaised;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.projection.EngagementCommitted;
import dev.trustledger.query.projection.EngagementDocuments;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.query.projection.StoreAway;
import dev.trustledger.scoring.ScoringModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Raises the alerts that the passing of time calls for ({@link Deadlines}): every
 * {@code trustledger.alerts.sweep-interval} (a minute by default; {@code 0} turns these
 * alerts off), by the injected clock, over the open engagements of the generation in use.
 * <p>
 * A sweep reads four small fields of each open engagement and the whole document only of
 * one whose crossing has come and that it has not settled at its current sequence: its
 * cost grows with the number of open engagements, once a sweep, never per event or
 * request ({@code trustledger.alerts.sweep} times it). Each alert is kept and published
 * once ({@link Alerts#raiseOnce}), then set on the engagement's document with the
 * condition that holds, conditional on the sequence read, so that the projection, which
 * clears the condition when an event ends it, always wins; a sweep that lost to it reads
 * the engagement again the next time. Every instance sweeps: the second to find an alert
 * publishes nothing.
 */
@Component
public class TimeAlerts implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(TimeAlerts.class);

	private static final Bson SCANNED = Projections.include("_id", "status", "lastSequence", "lastEventAt",
			EngagementDocuments.OPEN_PROMISE_DUE, "alertState." + EngagementDocuments.STALE);

	private final Generations generations;

	private final SweptEngagements engagements;

	private final Alerts alerts;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final Duration interval;

	private final Timer sweeps;

	/**
	 * The engagements read at their current sequence, and when their next crossing falls.
	 */
	private final Map<String, Settled> settled = new ConcurrentHashMap<>();

	private ScheduledExecutorService executor;

	private volatile boolean running;

	TimeAlerts(Generations generations, SweptEngagements engagements, Alerts alerts, ApplicationEventPublisher events,
			Clock clock, @Value("${trustledger.alerts.sweep-interval:60s}") Duration interval, MeterRegistry registry) {
		this.generations = generations;
		this.engagements = engagements;
		this.alerts = alerts;
		this.events = events;
		this.clock = clock;
		this.interval = interval;
		this.sweeps = Timer.builder("trustledger.alerts.sweep")
			.description("Sweeps for the alerts the passing of time raises: stale engagements, overdue promises")
			.register(registry);
	}

	/** Whether the passing of time raises alerts here at all. */
	public boolean enabled() {
		return !this.interval.isZero() && !this.interval.isNegative();
	}

	/**
	 * Sweeps the generation in use at {@code now}, publishing what is new.
	 * @return how many alerts were published
	 */
	public int sweep(Instant now) {
		Generation generation = this.generations.current();
		return sweep(generation, now, null);
	}

	/**
	 * Sweeps a generation being rebuilt before it is switched to, without publishing:
	 * what the generation in use published is kept as published, anything else is
	 * published by the first sweep after the switch. Nothing when these alerts are off.
	 */
	public void sweepRebuilt(Generation generation) {
		if (enabled()) {
			sweep(generation, this.clock.instant(), this.generations.current());
		}
	}

	private int sweep(Generation generation, Instant now, Generation inUse) {
		long started = System.nanoTime();
		ScoringModel model = generation.engine().model();
		Duration stale = Duration.ofDays(model.staleAfterDays());
		Duration allowed = Duration.ofDays(model.alerts().promiseOverdueDays());
		int[] published = { 0 };
		Consumer<Document> sweepOne = (engagement) -> {
			String id = engagement.getString("_id");
			try {
				sweepEngagement(generation, engagement, now, inUse, stale, allowed, published);
			}
			catch (RuntimeException ex) {
				if (StoreAway.causes(ex)) {
					// the store or the broker away: every engagement after this one would
					// wait for it in turn; the next sweep starts again
					throw ex;
				}
				// tried again at the next sweep (a publication refused, say)
				log.warn("Engagement {} not swept for time-raised alerts: {}", id, ex.toString());
			}
		};
		// the portfolio in memory when it holds this generation; otherwise, as for a
		// generation being rebuilt, the store
		if (inUse != null || !this.engagements.forEach(generation.number(), sweepOne)) {
			generation.collection(EngagementProjection.COLLECTION)
				.find(Filters.eq("status", "OPEN"))
				.projection(SCANNED)
				.batchSize(1_000)
				.forEach(sweepOne);
		}
		long nanos = System.nanoTime() - started;
		this.sweeps.record(nanos, TimeUnit.NANOSECONDS);
		log.debug("Swept generation {} at {} in {} ms: {} alerts published", generation.number(), now,
				nanos / 1_000_000, published[0]);
		return published[0];
	}

	private void sweepEngagement(Generation generation, Document scanned, Instant now, Generation inUse, Duration stale,
			Duration allowed, int[] published) {
		if (!"OPEN".equals(scanned.getString("status")) && scanned.containsKey("status")) {
			return;
		}
		String id = scanned.getString("_id");
		Number sequence = scanned.get("lastSequence", Number.class);
		long last = (sequence != null) ? sequence.longValue() : -1;
		Settled known = (inUse == null) ? this.settled.get(id) : null;
		boolean unchanged = known != null && known.generation() == generation.number() && known.lastSequence() == last;
		if (unchanged && (known.next() == null || now.isBefore(known.next()))) {
			return;
		}
		Document state = scanned.get("alertState", Document.class);
		boolean quietRaised = state != null && state.getBoolean(EngagementDocuments.STALE, false);
		// a quiet spell already raised needs no reading until the engagement changes
		Instant next = earliest(quietRaised ? null : crossing(scanned.get("lastEventAt"), stale),
				crossing(scanned.get(EngagementDocuments.OPEN_PROMISE_DUE), allowed));
		if (next == null || next.isAfter(now) || (inUse == null && !unchanged)) {
			// nothing due; or the engagement changed since the last sweep, as it does
			// while history is imported: raised once it has held still for a sweep
			remember(inUse, id,
					new Settled(generation.number(), last, (next == null || next.isAfter(now)) ? next : now));
			return;
		}
		Settled after = raise(generation, id, last, now, inUse, published);
		if (after != null) {
			remember(inUse, id, after);
		}
	}

	private void remember(Generation inUse, String id, Settled settles) {
		if (inUse == null) {
			this.settled.put(id, settles);
		}
	}

	/**
	 * Raises what is due for one engagement and sets it on its document.
	 * @return what was settled, {@code null} if the projection moved the engagement on
	 * meanwhile
	 */
	private Settled raise(Generation generation, String id, long last, Instant now, Generation inUse, int[] published) {
		Document engagement = generation.collection(EngagementProjection.COLLECTION)
			.find(Filters.eq("_id", id))
			.first();
		Number sequence = (engagement != null) ? engagement.get("lastSequence", Number.class) : null;
		if (sequence == null || sequence.longValue() != last) {
			return null;
		}
		Deadlines.Due due;
		try {
			due = Deadlines.due(engagement, generation.engine().model(), now);
		}
		catch (RuntimeException ex) {
			// a document this version cannot read is not swept again until it changes
			log.warn("Engagement {} not swept for time-raised alerts: {}", id, ex.toString());
			return new Settled(generation.number(), last, null);
		}
		Map<String, TrustAlertRaised> latest = new LinkedHashMap<>();
		for (Deadlines.Raised raised : due.alerts()) {
			if (this.alerts.raiseOnce(generation, raised.alert(), raised.filedUnder(), inUse, now)) {
				published[0]++;
			}
			latest.put(raised.alert().kind(), raised.alert());
		}
		Document shown = engagement.get("latestAlerts", Document.class);
		Document state = engagement.get("alertState", Document.class);
		List<Bson> sets = new ArrayList<>();
		latest.forEach((kind, alert) -> {
			Document before = (shown != null) ? shown.get(kind, Document.class) : null;
			if (before == null || !alert.alertId().equals(before.getString("alertId"))) {
				sets.add(Updates.set("latestAlerts." + kind, Alerts.document(alert)));
			}
			String condition = kind.equals(AlertDetector.ENGAGEMENT_STALE) ? EngagementDocuments.STALE
					: EngagementDocuments.PROMISE_OVERDUE;
			if (state == null || !state.getBoolean(condition, false)) {
				sets.add(Updates.set("alertState." + condition, true));
			}
		});
		Document shownNow = engagement;
		if (!sets.isEmpty()) {
			// _id at the top level: one document read (IndexedH2Backend), as MongoDB does
			shownNow = generation.collection(EngagementProjection.COLLECTION)
				.findOneAndUpdate(new Document("_id", id).append("lastSequence", last), Updates.combine(sets),
						new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
			if (shownNow == null) {
				return null;
			}
		}
		if (!latest.isEmpty()) {
			// this instance's portfolio shows it, whichever instance set it
			this.events.publishEvent(new EngagementCommitted(generation.number(), shownNow));
		}
		return new Settled(generation.number(), last, due.next());
	}

	private static Instant crossing(Object from, Duration after) {
		return (from instanceof Date date) ? date.toInstant().plus(after) : null;
	}

	private static Instant earliest(Instant a, Instant b) {
		if (a == null) {
			return b;
		}
		return (b == null || a.isBefore(b)) ? a : b;
	}

	private void sweepNow() {
		try {
			if (this.generations.current() != null) {
				sweep(this.clock.instant());
			}
		}
		catch (RuntimeException ex) {
			log.warn("Sweep for time-raised alerts failed; the next one tries again: {}", ex.toString());
		}
	}

	@Override
	public void start() {
		this.running = true;
		if (!enabled()) {
			log.info("Alerts raised by the passing of time are off (trustledger.alerts.sweep-interval=0)");
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "time-alerts");
			thread.setDaemon(true);
			return thread;
		});
		this.executor.scheduleWithFixedDelay(this::sweepNow, this.interval.toMillis(), this.interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.executor != null) {
			this.executor.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** An engagement read at a sequence: nothing to do before {@code next}. */
	private record Settled(int generation, long lastSequence, Instant next) {
	}

}
