package dev.trustledger.query.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run over the engagement-events topic into a new generation, and how far it got. Its
 * id is the number of the generation it builds.
 *
 * @param kind {@code REBUILD} (same model, becomes current), {@code PROMOTION} (a
 * candidate model, becomes current) or {@code CANDIDATE} (a sandbox, never current)
 * @param engagementIds the engagements to run over, or {@code null} for all
 */
public final class Replay {

	enum Phase {

		STARTING, REBUILDING, CATCHING_UP, SWITCHING, DONE, CANCELLED, FAILED;

		boolean finished() {
			return this == DONE || this == CANCELLED || this == FAILED;
		}

	}

	private final int id;

	private final String kind;

	private final String model;

	private final Set<String> engagementIds;

	private final Instant startedAt;

	private final AtomicLong processed = new AtomicLong();

	private volatile long total;

	private volatile Phase phase = Phase.STARTING;

	private volatile Instant finishedAt;

	private volatile String error;

	private volatile boolean cancelRequested;

	/** The first records this replay could not apply, and how many there were. */
	private final List<Map<String, Object>> parked = new java.util.concurrent.CopyOnWriteArrayList<>();

	private final AtomicLong parkedCount = new AtomicLong();

	static final int PARKED_SHOWN = 100;

	Replay(int id, String kind, String model, Set<String> engagementIds, Instant startedAt) {
		this.id = id;
		this.kind = kind;
		this.model = model;
		this.engagementIds = engagementIds;
		this.startedAt = startedAt;
	}

	public int id() {
		return this.id;
	}

	String kind() {
		return this.kind;
	}

	String model() {
		return this.model;
	}

	boolean switchesWhenCaughtUp() {
		return !this.kind.equals("CANDIDATE");
	}

	boolean includes(String engagementId) {
		return this.engagementIds == null || this.engagementIds.contains(engagementId);
	}

	Phase phase() {
		return this.phase;
	}

	void phase(Phase phase) {
		this.phase = phase;
	}

	void addTotal(long events) {
		this.total += events;
	}

	void processed(long events) {
		this.processed.addAndGet(events);
	}

	long processed() {
		return this.processed.get();
	}

	long total() {
		return this.total;
	}

	void finish(Phase phase, String error, Instant at) {
		this.error = error;
		this.finishedAt = at;
		this.phase = phase;
	}

	/** A record this replay could not apply, reported rather than fatal. */
	void parked(String engagementId, int partition, long offset, String reason) {
		if (this.parkedCount.incrementAndGet() <= PARKED_SHOWN) {
			Map<String, Object> record = new LinkedHashMap<>();
			record.put("engagementId", engagementId);
			record.put("partition", partition);
			record.put("offset", offset);
			record.put("reason", reason);
			this.parked.add(record);
		}
	}

	long parkedCount() {
		return this.parkedCount.get();
	}

	void requestCancel() {
		this.cancelRequested = true;
	}

	boolean cancelRequested() {
		return this.cancelRequested;
	}

	/** What {@code GET /api/replays/{id}} answers, measured at {@code now}. */
	Map<String, Object> view(Instant now) {
		Instant end = (this.finishedAt != null) ? this.finishedAt : now;
		double seconds = Math.max(0.001, Duration.between(this.startedAt, end).toMillis() / 1000.0);
		long done = this.processed.get();
		double rate = done / seconds;
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", String.valueOf(this.id));
		view.put("kind", this.kind);
		view.put("generation", this.id);
		view.put("model", this.model);
		view.put("engagementIds", (this.engagementIds != null) ? this.engagementIds.stream().sorted().toList() : null);
		view.put("phase", this.phase.name());
		view.put("eventsProcessed", done);
		view.put("eventsTotal", Math.max(this.total, done));
		view.put("eventsPerSecond", Math.round(rate));
		Long eta = null;
		if (this.phase.finished()) {
			eta = 0L;
		}
		else if (rate > 0) {
			eta = Math.round(Math.max(0, this.total - done) / rate);
		}
		view.put("etaSeconds", eta);
		view.put("startedAt", this.startedAt.toString());
		view.put("finishedAt", (this.finishedAt != null) ? this.finishedAt.toString() : null);
		view.put("error", this.error);
		view.put("parkedRecords", this.parkedCount.get());
		view.put("parked", List.copyOf(this.parked));
		return view;
	}

}
