package dev.trustledger.query.projection;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.IncidentEvent;
import dev.trustledger.events.alert.TrustAlertRaised;
import dev.trustledger.events.engagement.EngagementClosed;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.engagement.EngagementReopened;
import dev.trustledger.events.outcome.EngagementEnded;
import dev.trustledger.events.outcome.RenewalDecided;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.events.promise.PromiseKept;
import dev.trustledger.events.promise.PromiseMade;
import dev.trustledger.events.sponsor.SponsorGained;
import dev.trustledger.events.sponsor.SponsorLost;
import dev.trustledger.query.alert.AlertDetector;
import dev.trustledger.query.alert.Alerts;
import dev.trustledger.scoring.ScorePoint;
import dev.trustledger.scoring.ScoringEngine;
import org.bson.Document;

/**
 * What one event does to the documents of its engagement, as pure functions on
 * {@link Document}s. The live projection and the rebuild both go through these and
 * nothing else, so a rebuilt generation equals the incrementally built one by
 * construction; a test checks it document for document. Times come from the events.
 */
public final class EngagementDocuments {

	/** Writes the rows of timeline buckets. */
	private static final JsonFactory JSON = new JsonFactory();

	/** A timeline bucket's points, as a JSON array of {@link #ROW_COLUMNS rows}. */
	static final String ROWS = "rows";

	/**
	 * Under {@code alertState}: the alert of the engagement going stale was raised and it
	 * still is.
	 */
	public static final String STALE = "stale";

	/**
	 * Under {@code alertState}: the promise the latest overdue alert names is still open.
	 */
	public static final String PROMISE_OVERDUE = "promiseOverdue";

	/** The earliest due date of an open promise. */
	public static final String OPEN_PROMISE_DUE = "openPromiseDue";

	/** The sequence of the event that occurred last (not the one recorded last). */
	public static final String LAST_EVENT_SEQUENCE = "lastEventSequence";

	/** The id of the event that occurred last. */
	public static final String LAST_EVENT_ID = "lastEventId";

	/**
	 * What a row holds, in order: a point's fields, the nested ones flattened, so that a
	 * stored point does not repeat its field names. Rows are written and read back from
	 * this list alone.
	 */
	static final List<Column> ROW_COLUMNS = List.of(Column.of("sequence", ScorePoint::sequence),
			Column.of("eventId", ScorePoint::eventId), Column.of("eventType", ScorePoint::eventType),
			Column.of("occurredAt", (point) -> point.occurredAt().toString()), Column.of("trust", ScorePoint::trust),
			Column.of("components.credibility", (point) -> point.components().credibility()),
			Column.of("components.reliability", (point) -> point.components().reliability()),
			Column.of("components.intimacy", (point) -> point.components().intimacy()),
			Column.of("components.selfOrientation", (point) -> point.components().selfOrientation()),
			Column.of("band", (point) -> point.band().name()),
			Column.of("mutualResponsibility", ScorePoint::mutualResponsibility),
			Column.of("vendorOwnership", ScorePoint::vendorOwnership),
			Column.of("clientOwnership", ScorePoint::clientOwnership),
			Column.of("explanation.trustChange", (point) -> point.explanation().trustChange()),
			Column.of("explanation.trustContributions.credibility",
					(point) -> point.explanation().trustContributions().credibility()),
			Column.of("explanation.trustContributions.reliability",
					(point) -> point.explanation().trustContributions().reliability()),
			Column.of("explanation.trustContributions.intimacy",
					(point) -> point.explanation().trustContributions().intimacy()),
			Column.of("explanation.trustContributions.selfOrientation",
					(point) -> point.explanation().trustContributions().selfOrientation()),
			Column.of("explanation.mutualChange", (point) -> point.explanation().mutualChange()),
			Column.of("explanation.mutualContributions.vendor",
					(point) -> point.explanation().mutualContributions().vendor()),
			Column.of("explanation.mutualContributions.client",
					(point) -> point.explanation().mutualContributions().client()),
			Column.of("modelVersion", ScorePoint::modelVersion));

	/**
	 * One column of a row: where its value sits in the JSON shape of a point, and how it
	 * is taken from one (a string, a whole number or a decimal).
	 */
	record Column(String[] path, Function<ScorePoint, Object> value) {

		static Column of(String path, Function<ScorePoint, Object> value) {
			return new Column(path.split("\\."), value);
		}

	}

	private EngagementDocuments() {
	}

	public static String month(Instant instant) {
		return YearMonth.from(instant.atOffset(ZoneOffset.UTC)).toString();
	}

	public static String bucket(String engagementId, String month) {
		return engagementId + "#" + month;
	}

	/**
	 * The id of an engagement's checkpoint document of a month: the month first, so that
	 * the documents a date asks of every engagement lie together, in the order of the
	 * engagements' ids (the embedded server reads a page of neighbours at a time).
	 */
	public static String checkpointsOf(String engagementId, String month) {
		return month + "#" + engagementId;
	}

	/**
	 * The facts an event sets on the engagement: its people, status, promises, counts.
	 */
	static void applyFacts(Document engagement, RecordedEvent recorded) {
		EngagementEvent event = recorded.event();
		if (recorded.known() && endsQuietSpell(engagement, event.occurredAt())) {
			clearRaisedByTime(engagement, STALE);
		}
		if (event instanceof EngagementOpened opened) {
			engagement.put("clientName", opened.clientName());
			engagement.put("accountTeam", opened.accountTeam());
			engagement.put("deliveryLead", opened.deliveryLead());
			engagement.put("sponsor", opened.sponsor());
			engagement.put("openedAt", Date.from(opened.openedAt()));
			engagement.put("status", "OPEN");
		}
		else if (event instanceof EngagementEnded ended) {
			engagement.put("status", "CLOSED");
			engagement.put("ending",
					new Document("ending", ended.ending().name()).append("occurredAt", Date.from(ended.occurredAt())));
			clearRaisedByTime(engagement, STALE);
			clearRaisedByTime(engagement, PROMISE_OVERDUE);
		}
		else if (event instanceof RenewalDecided decided) {
			Document renewal = engagement.get("renewal", Document.class);
			// the latest decision by when it occurred, whatever the order it was recorded
			// in
			if (renewal == null || !decided.occurredAt().isBefore(renewal.getDate("occurredAt").toInstant())) {
				engagement.put("renewal", new Document("decision", decided.decision().name()).append("occurredAt",
						Date.from(decided.occurredAt())));
			}
		}
		else if (event instanceof EngagementClosed) {
			engagement.put("status", "CLOSED");
			clearRaisedByTime(engagement, STALE);
			clearRaisedByTime(engagement, PROMISE_OVERDUE);
		}
		else if (event instanceof EngagementReopened) {
			engagement.put("status", "OPEN");
			engagement.remove("ending");
		}
		else if (event instanceof PromiseMade made) {
			child(engagement, "promises").put(made.promiseId(),
					new Document("party", made.party().name()).append("severity", made.severity())
						.append("description", made.description())
						.append("madeAt", Date.from(made.occurredAt()))
						.append("dueBy", Date.from(made.dueBy()))
						.append("state", "OPEN")
						.append("sequence", recorded.sequence())
						.append("eventId", recorded.eventId()));
			openPromiseDue(engagement);
		}
		else if (event instanceof PromiseKept kept) {
			resolve(engagement, kept.promiseId(), "KEPT", kept.occurredAt());
		}
		else if (event instanceof PromiseBroken broken) {
			increment(child(engagement, "brokenPromises"), broken.party().name().toLowerCase(Locale.ROOT));
			if (broken.promiseId() != null) {
				resolve(engagement, broken.promiseId(), "BROKEN", broken.occurredAt());
			}
		}
		else if (event instanceof SponsorLost) {
			engagement.put("sponsor", null);
			engagement.put("sponsorLost", true);
		}
		else if (event instanceof SponsorGained gained) {
			engagement.put("sponsor", gained.sponsor());
			engagement.remove("sponsorLost");
		}
		if (event instanceof IncidentEvent incident) {
			increment(child(engagement, "incidentCounts"), incidentType(incident));
		}
	}

	/**
	 * The bookkeeping of every arrival: sequence, count, times, the history's months,
	 * which alert conditions hold, and any gap in the sequence.
	 * @param last the sequence applied before this one, -1 for none
	 * @param month the month the event occurred in, {@code null} for an unknown type
	 * @param alertState which alert conditions hold after it, {@code null} for an unknown
	 * type
	 */
	static void applyArrival(Document engagement, RecordedEvent recorded, long last, String month,
			AlertDetector.State alertState) {
		if (month != null) {
			List<String> months = months(engagement);
			if (!months.contains(month)) {
				months.add(month);
			}
			engagement.put("historyMonths", months);
		}
		if (alertState != null) {
			engagement.put("alertState", alertState(alertState));
		}
		engagement.put("lastSequence", recorded.sequence());
		engagement.put("eventCount", engagement.getInteger("eventCount", 0) + 1);
		engagement.put("lastRecordedAt", Date.from(recorded.recordedAt()));
		if (recorded.known()) {
			Date occurredAt = Date.from(recorded.event().occurredAt());
			Date lastEventAt = engagement.getDate("lastEventAt");
			if (lastEventAt == null || occurredAt.after(lastEventAt)) {
				engagement.put("lastEventAt", occurredAt);
				// the event after which nothing happened, should the engagement go stale
				engagement.put(LAST_EVENT_SEQUENCE, recorded.sequence());
				engagement.put(LAST_EVENT_ID, recorded.eventId());
			}
		}
		if (recorded.sequence() != last + 1) {
			List<Document> gaps = new ArrayList<>(engagement.getList("sequenceGaps", Document.class, List.of()));
			gaps.add(new Document("expected", last + 1).append("received", recorded.sequence()));
			engagement.put("sequenceGaps", gaps);
		}
	}

	/**
	 * The latest alert of each kind the engagement raised, kept on its document: with its
	 * alert state, what says which of its alerts are still open.
	 */
	public static void applyAlerts(Document engagement, List<TrustAlertRaised> raised) {
		for (TrustAlertRaised alert : raised) {
			child(engagement, "latestAlerts").put(alert.kind(), Alerts.document(alert));
		}
	}

	/** How many of the latest trust values the portfolio draws as a sparkline. */
	static final int SPARKLINE_POINTS = 24;

	/**
	 * The current scores: the last point, the change over the 30 days before it, and the
	 * latest trust values for a sparkline.
	 */
	static void applyScores(Document engagement, List<ScorePoint> points) {
		ScorePoint last = points.get(points.size() - 1);
		Instant monthAgo = last.occurredAt().minus(Duration.ofDays(30));
		ScorePoint before = points.get(0);
		for (ScorePoint point : points) {
			if (point.occurredAt().isAfter(monthAgo)) {
				break;
			}
			before = point;
		}
		List<Double> sparkline = points.subList(Math.max(0, points.size() - SPARKLINE_POINTS), points.size())
			.stream()
			.map((point) -> point.trust().doubleValue())
			.toList();
		engagement.put("scores", point(last).append("trend30d", last.trust().subtract(before.trust()).doubleValue())
			.append("sparkline", sparkline));
	}

	/**
	 * Whether the engagement is without the sponsor it had: set by a loss, cleared by a
	 * gain, in the order events arrive.
	 */
	public static boolean sponsorLost(Document engagement) {
		return engagement.getBoolean("sponsorLost", false);
	}

	public static AlertDetector.State alertState(Document engagement) {
		Document raised = engagement.get("alertState", Document.class);
		// a state kept before mutual responsibility had an alert has no mutualLow: not
		// raised, so an engagement already low raises it at its next event
		return (raised != null)
				? new AlertDetector.State(raised.getBoolean("dropped", false), raised.getBoolean("atRisk", false),
						raised.getBoolean("mutualLow", false), raised.getBoolean("sponsorLost", false),
						raised.getBoolean(STALE, false), raised.getBoolean(PROMISE_OVERDUE, false))
				: AlertDetector.State.NONE;
	}

	/**
	 * Which alert conditions hold, as kept; the two the clock raises only while they
	 * hold, so that a rebuild writes the same documents as the live projection while no
	 * time has raised them.
	 */
	static Document alertState(AlertDetector.State state) {
		Document kept = new Document("dropped", state.dropped()).append("atRisk", state.atRisk())
			.append("mutualLow", state.mutualLow())
			.append("sponsorLost", state.sponsorLost());
		if (state.stale()) {
			kept.append(STALE, true);
		}
		if (state.promiseOverdue()) {
			kept.append(PROMISE_OVERDUE, true);
		}
		return kept;
	}

	static List<String> months(Document engagement) {
		return new ArrayList<>(engagement.getList("historyMonths", String.class, List.of()));
	}

	/**
	 * One event in the history: enough to score it again and to export its envelope, with
	 * the event's JSON exactly as it was published.
	 */
	static Document historyEntry(RecordedEvent recorded) {
		Document entry = new Document("eventId", recorded.eventId()).append("type", recorded.type())
			.append("recordedAt", recorded.recordedAt().toString());
		if (recorded.recordedBy() != null) {
			entry.append("recordedBy", recorded.recordedBy());
		}
		// kept as published: parsed only when it is read back, never re-encoded
		return entry.append("data", recorded.data());
	}

	/**
	 * An entry's event as JSON text; entries kept before the data was stored as text hold
	 * it as a document.
	 */
	public static String data(Document entry) {
		Object data = entry.get("data");
		return (data instanceof Document document) ? document.toJson() : (String) data;
	}

	/**
	 * What an engagement's timeline is written as: its layout, and the timeline buckets
	 * and checkpoint documents from a month on.
	 */
	record TimelineDocuments(TimelineLayout layout, Map<String, Document> timeline, Map<String, Document> checkpoints) {
	}

	/**
	 * The timeline's buckets ({@link TimelineLayout}) that hold a month from
	 * {@code fromMonth} on, and its checkpoint documents from that month on: what a point
	 * in that month changes.
	 */
	static TimelineDocuments timelineDocuments(String engagementId, List<ScorePoint> points,
			List<ScoringEngine.Checkpoint> checkpoints, String fromMonth) {
		Map<String, int[]> months = monthsOf(points);
		TimelineLayout layout = TimelineLayout.of(months);
		return new TimelineDocuments(layout, timelineBuckets(engagementId, points, months, layout, fromMonth),
				checkpointBuckets(engagementId, checkpoints, months, fromMonth));
	}

	/** The timeline's buckets that hold a month from {@code fromMonth} on. */
	static Map<String, Document> timelineBuckets(String engagementId, List<ScorePoint> points, String fromMonth) {
		Map<String, int[]> months = monthsOf(points);
		return timelineBuckets(engagementId, points, months, TimelineLayout.of(months), fromMonth);
	}

	/**
	 * The timeline's buckets, by first month, that hold a month from {@code fromMonth}
	 * on. A bucket keeps its points as one JSON text of rows: it is only ever read whole,
	 * by its id, so storing it as one value rather than thousands of fields makes writing
	 * a rebuild several times cheaper, and rows without field names are a third of the
	 * size of objects.
	 */
	private static Map<String, Document> timelineBuckets(String engagementId, List<ScorePoint> points,
			Map<String, int[]> months, TimelineLayout layout, String fromMonth) {
		Map<String, Document> buckets = new LinkedHashMap<>();
		List<String> starts = layout.starts();
		List<int[]> ranges = new ArrayList<>(months.values());
		List<String> names = new ArrayList<>(months.keySet());
		int month = 0;
		for (int i = 0; i < starts.size(); i++) {
			String next = (i + 1 < starts.size()) ? starts.get(i + 1) : null;
			int first = ranges.get(month)[0];
			String last = names.get(month);
			while (month + 1 < names.size() && (next == null || names.get(month + 1).compareTo(next) < 0)) {
				month++;
				last = names.get(month);
			}
			int end = ranges.get(month)[1];
			month++;
			if (last.compareTo(fromMonth) >= 0) {
				buckets.put(starts.get(i), new Document("_id", bucket(engagementId, starts.get(i))).append(ROWS,
						rows(points.subList(first, end))));
			}
		}
		return buckets;
	}

	/**
	 * Where each month's points lie in a timeline: its first index and the index after
	 * its last, the months in order. Points are in occurrence order, so each month's
	 * points are contiguous.
	 */
	static Map<String, int[]> monthsOf(List<ScorePoint> points) {
		Map<String, int[]> months = new LinkedHashMap<>();
		String current = null;
		int first = 0;
		for (int i = 0; i <= points.size(); i++) {
			String month = (i < points.size()) ? month(points.get(i).occurredAt()) : null;
			if (current != null && !current.equals(month)) {
				months.put(current, new int[] { first, i });
				first = i;
			}
			current = month;
		}
		return months;
	}

	/**
	 * Field of timeline buckets written before checkpoints had a collection of their own;
	 * never read.
	 */
	static final String OLD_CHECKPOINTS = "checkpoints";

	/**
	 * What reading a timeline's points needs of its buckets: not what older ones keep.
	 */
	public static final org.bson.conversions.Bson POINTS_ONLY = com.mongodb.client.model.Projections
		.exclude(OLD_CHECKPOINTS);

	/**
	 * The checkpoints of a month: the scoring fold's state right after each point, from
	 * which the scores at any later instant are computed without folding the history
	 * again ("as of" a date).
	 */
	static final String CHECKPOINTS = "checkpoints";

	/** The last checkpoint before those of a checkpoint document, if there is one. */
	static final String BEFORE = "before";

	/** How many numbers one checkpoint is packed into. */
	private static final int CHECKPOINT_WIDTH = 19;

	/**
	 * The checkpoint documents by month, from {@code fromMonth} on: one for each month
	 * with points ({@link #checkpointsOf}), holding the checkpoints of that month and of
	 * the calendar month before it, and the last checkpoint before those. So one document
	 * answers any instant from the start of the month before its own up to the next month
	 * with points: the standings of a date and of the 30 days before it are, but for the
	 * first days of March, one read. A change in a month changes its document and the
	 * next month's: both are from {@code fromMonth} on.
	 * <p>
	 * Each checkpoint is packed as 19 doubles, little-endian, in one binary value: the
	 * twelve evidence masses, the scar's ceiling, whether there is a scar and when (epoch
	 * second and nanosecond), the instant of the point (epoch second and nanosecond), and
	 * 1 when the client had no sponsor. The instants are whole numbers far below 2^53,
	 * which a double holds exactly; nothing is parsed when it is read back.
	 */
	static Map<String, Document> checkpointBuckets(String engagementId, List<ScorePoint> points,
			List<ScoringEngine.Checkpoint> checkpoints, String fromMonth) {
		return checkpointBuckets(engagementId, checkpoints, monthsOf(points), fromMonth);
	}

	private static Map<String, Document> checkpointBuckets(String engagementId,
			List<ScoringEngine.Checkpoint> checkpoints, Map<String, int[]> months, String fromMonth) {
		Map<String, Document> buckets = new LinkedHashMap<>();
		months.forEach((month, range) -> {
			if (month.compareTo(fromMonth) < 0) {
				return;
			}
			int[] previous = months.get(YearMonth.parse(month).minusMonths(1).toString());
			int first = (previous != null) ? previous[0] : range[0];
			Document bucket = new Document("_id", checkpointsOf(engagementId, month)).append(CHECKPOINTS,
					pack(checkpoints.subList(first, range[1])));
			if (first > 0) {
				bucket.append(BEFORE, pack(checkpoints.subList(first - 1, first)));
			}
			buckets.put(month, bucket);
		});
		return buckets;
	}

	private static org.bson.types.Binary pack(List<ScoringEngine.Checkpoint> checkpoints) {
		java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(checkpoints.size() * CHECKPOINT_WIDTH * Double.BYTES)
			.order(java.nio.ByteOrder.LITTLE_ENDIAN);
		for (ScoringEngine.Checkpoint checkpoint : checkpoints) {
			for (double mass : checkpoint.masses()) {
				bytes.putDouble(mass);
			}
			bytes.putDouble(checkpoint.scarCeiling());
			Instant scarredAt = checkpoint.scarredAt();
			bytes.putDouble((scarredAt != null) ? 1 : 0);
			bytes.putDouble((scarredAt != null) ? scarredAt.getEpochSecond() : 0);
			bytes.putDouble((scarredAt != null) ? scarredAt.getNano() : 0);
			bytes.putDouble(checkpoint.now().getEpochSecond());
			bytes.putDouble(checkpoint.now().getNano());
			bytes.putDouble(checkpoint.sponsorless() ? 1 : 0);
		}
		return new org.bson.types.Binary(bytes.array());
	}

	private static List<ScoringEngine.Checkpoint> unpack(Object value) {
		if (!(value instanceof org.bson.types.Binary binary)) {
			return List.of();
		}
		java.nio.DoubleBuffer numbers = java.nio.ByteBuffer.wrap(binary.getData())
			.order(java.nio.ByteOrder.LITTLE_ENDIAN)
			.asDoubleBuffer();
		List<ScoringEngine.Checkpoint> checkpoints = new ArrayList<>(numbers.remaining() / CHECKPOINT_WIDTH);
		double[] row = new double[CHECKPOINT_WIDTH];
		while (numbers.remaining() >= CHECKPOINT_WIDTH) {
			numbers.get(row);
			Instant scarredAt = (row[13] != 0) ? Instant.ofEpochSecond((long) row[14], (long) row[15]) : null;
			checkpoints.add(new ScoringEngine.Checkpoint(java.util.Arrays.copyOf(row, 12), row[12], scarredAt,
					Instant.ofEpochSecond((long) row[16], (long) row[17]), row[18] != 0));
		}
		return checkpoints;
	}

	/**
	 * What a checkpoint document holds: the checkpoints in occurrence order, and the last
	 * one before them ({@code null} when there was none).
	 */
	public record Checkpoints(ScoringEngine.Checkpoint before, List<ScoringEngine.Checkpoint> checkpoints) {

		/**
		 * The checkpoint of the last point by {@code at}, of those this document holds or
		 * the one before them: {@code null} for none by then.
		 */
		public ScoringEngine.Checkpoint by(Instant at) {
			ScoringEngine.Checkpoint last = this.before;
			for (ScoringEngine.Checkpoint checkpoint : this.checkpoints) {
				if (checkpoint.now().isAfter(at)) {
					break;
				}
				last = checkpoint;
			}
			return last;
		}

	}

	static Checkpoints checkpoints(Document bucket) {
		List<ScoringEngine.Checkpoint> before = unpack(bucket.get(BEFORE));
		return new Checkpoints(before.isEmpty() ? null : before.get(0), unpack(bucket.get(CHECKPOINTS)));
	}

	/**
	 * The month {@code months} whole months after January 1970: the inverse of
	 * {@link #monthNumber}.
	 */
	public static String monthName(int months) {
		return YearMonth.of(1970 + Math.floorDiv(months, 12), 1 + Math.floorMod(months, 12)).toString();
	}

	/** How many whole months after January 1970 a month ({@code yyyy-MM}) is. */
	public static int monthNumber(String month) {
		return monthNumber(YearMonth.parse(month));
	}

	/** How many whole months after January 1970 an instant's month (UTC) is. */
	public static int monthNumber(Instant instant) {
		return monthNumber(YearMonth.from(instant.atOffset(ZoneOffset.UTC)));
	}

	private static int monthNumber(YearMonth month) {
		return (month.getYear() - 1970) * 12 + month.getMonthValue() - 1;
	}

	/** Points as rows: scores as the decimals they are, instants in ISO-8601. */
	private static String rows(List<ScorePoint> points) {
		StringWriter text = new StringWriter(160 * points.size());
		try (JsonGenerator json = JSON.createGenerator(text)) {
			json.writeStartArray();
			for (ScorePoint point : points) {
				json.writeStartArray();
				for (Column column : ROW_COLUMNS) {
					// strings, longs and decimals: written as such, no codec needed
					json.writeObject(column.value().apply(point));
				}
				json.writeEndArray();
			}
			json.writeEndArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return text.toString();
	}

	/**
	 * A timeline bucket's points, each as the JSON shape of {@link ScorePoint}. Buckets
	 * written before rows hold their points as a JSON text of objects, or, before that,
	 * as documents.
	 */
	static List<Document> points(Document bucket) {
		if (bucket.get(ROWS) instanceof String rows) {
			List<Document> points = new ArrayList<>();
			for (Object row : Document.parse("{\"rows\":" + rows + "}").getList(ROWS, List.class)) {
				points.add(fromRow((List<?>) row));
			}
			return points;
		}
		Object points = bucket.get("points");
		if (points instanceof String text) {
			return Document.parse("{\"points\":" + text + "}").getList("points", Document.class);
		}
		return bucket.getList("points", Document.class);
	}

	/** Reads the rows of timeline buckets: numbers as JSON gives them, no dates. */
	private static final JsonFactory ROWS_READER = JsonFactory.builder()
		.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
		.build();

	/**
	 * A timeline bucket's points as rows, read straight from the stored text: what the
	 * timeline query reads, reduces, and turns into points only for those it answers
	 * with. A decimal is the one {@link #decimal} makes of the double its text reads as;
	 * one of hundredths from -100 to 100 (every score, component and change the scoring
	 * engine writes) is the same instance each time, so that reading a bucket makes no
	 * number and the rows read hold none of their own.
	 */
	public static List<TimelineRow> timelineRows(Document bucket) {
		if (bucket.get(ROWS) instanceof String text) {
			return timelineRows(bucket.get("_id"), text);
		}
		List<TimelineRow> rows = new ArrayList<>();
		for (Document point : points(bucket)) {
			List<Object> values = new ArrayList<>(ROW_COLUMNS.size());
			for (Column column : ROW_COLUMNS) {
				Object value = point;
				for (String key : column.path()) {
					value = (value instanceof Document document) ? document.get(key) : null;
				}
				values.add(value);
			}
			rows.add(TimelineRow.of(values));
		}
		return rows;
	}

	/**
	 * A timeline bucket's rows as the one text they are stored as, or {@code null} for a
	 * bucket written before rows had one.
	 */
	public static String rowsText(Document bucket) {
		return (bucket.get(ROWS) instanceof String text) ? text : null;
	}

	/**
	 * The rows of a bucket's stored {@link #rowsText text}, as
	 * {@link #timelineRows(Document)}.
	 */
	public static List<TimelineRow> timelineRows(Object bucketId, String text) {
		List<TimelineRow> rows = new ArrayList<>();
		try (JsonParser parser = ROWS_READER.createParser(text)) {
			if (parser.nextToken() != JsonToken.START_ARRAY) {
				throw new IOException("The rows of bucket " + bucketId + " are not an array");
			}
			while (parser.nextToken() == JsonToken.START_ARRAY) {
				RowValues values = new RowValues(ROW_COLUMNS.size());
				for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
					if (token == JsonToken.VALUE_NUMBER_FLOAT) {
						values.appendDecimal(parser);
						continue;
					}
					values.append(switch (token) {
						case VALUE_STRING -> parser.getText();
						case VALUE_NUMBER_INT -> parser.getNumberValue();
						case VALUE_NULL -> null;
						case VALUE_TRUE, VALUE_FALSE -> parser.getBooleanValue();
						default -> throw new IOException("Unexpected " + token + " in the rows of bucket " + bucketId);
					});
				}
				rows.add(TimelineRow.of(values));
			}
			if (parser.currentToken() != JsonToken.END_ARRAY) {
				throw new IOException("A row of bucket " + bucketId + " is not an array");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return rows;
	}

	/** A row back in the shape of {@link ScorePoint}, with the values JSON gave it. */
	private static Document fromRow(List<?> row) {
		Document point = new Document();
		for (int i = 0; i < ROW_COLUMNS.size(); i++) {
			String[] path = ROW_COLUMNS.get(i).path();
			Document parent = point;
			for (int depth = 0; depth < path.length - 1; depth++) {
				parent = child(parent, path[depth]);
			}
			parent.put(path[path.length - 1], row.get(i));
		}
		return point;
	}

	/**
	 * A stored number as the decimal it was written from (a double in its shortest form,
	 * a whole number exactly); {@code null} for none.
	 */
	public static BigDecimal decimal(Object value) {
		if (value instanceof BigDecimal decimal) {
			return decimal;
		}
		if (value instanceof Double || value instanceof Float) {
			return BigDecimal.valueOf(((Number) value).doubleValue());
		}
		if (value instanceof org.bson.types.Decimal128 decimal) {
			return decimal.bigDecimalValue();
		}
		return (value instanceof Number number) ? BigDecimal.valueOf(number.longValue()) : null;
	}

	/** A point as stored: the JSON shape of {@link ScorePoint}, scores as numbers. */
	static Document point(ScorePoint point) {
		ScorePoint.Explanation explanation = point.explanation();
		return new Document("sequence", point.sequence()).append("eventId", point.eventId())
			.append("eventType", point.eventType())
			.append("occurredAt", point.occurredAt().toString())
			.append("trust", number(point.trust()))
			.append("components", components(point.components()))
			.append("band", point.band().name())
			.append("mutualResponsibility", number(point.mutualResponsibility()))
			.append("vendorOwnership", number(point.vendorOwnership()))
			.append("clientOwnership", number(point.clientOwnership()))
			.append("explanation",
					new Document("trustChange", number(explanation.trustChange()))
						.append("trustContributions", components(explanation.trustContributions()))
						.append("mutualChange", number(explanation.mutualChange()))
						.append("mutualContributions",
								new Document("vendor", number(explanation.mutualContributions().vendor()))
									.append("client", number(explanation.mutualContributions().client()))))
			.append("modelVersion", point.modelVersion());
	}

	private static Document components(ScorePoint.Components components) {
		return new Document("credibility", number(components.credibility()))
			.append("reliability", number(components.reliability()))
			.append("intimacy", number(components.intimacy()))
			.append("selfOrientation", number(components.selfOrientation()));
	}

	/**
	 * {@code PromiseBroken} becomes {@code PROMISE_BROKEN}: the incident types of the
	 * command API.
	 */
	static String incidentType(IncidentEvent incident) {
		return INCIDENT_TYPES.get(incident.getClass());
	}

	private static final ClassValue<String> INCIDENT_TYPES = new ClassValue<>() {
		@Override
		protected String computeValue(Class<?> type) {
			return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
		}
	};

	private static double number(BigDecimal value) {
		return value.doubleValue();
	}

	private static Document child(Document parent, String key) {
		Document child = parent.get(key, Document.class);
		if (child == null) {
			child = new Document();
			parent.put(key, child);
		}
		return child;
	}

	private static void increment(Document counts, String key) {
		counts.put(key, counts.getInteger(key, 0) + 1);
	}

	private static void resolve(Document engagement, String promiseId, String state, Instant at) {
		Document promise = child(engagement, "promises").get(promiseId, Document.class);
		if (promise == null) {
			// kept or broken before it was projected as made: keep what is known
			promise = new Document();
			child(engagement, "promises").put(promiseId, promise);
		}
		promise.put("state", state);
		promise.put("resolvedAt", Date.from(at));
		Document latest = engagement.get("latestAlerts", Document.class);
		Document overdue = (latest != null) ? latest.get(AlertDetector.PROMISE_OVERDUE, Document.class) : null;
		if (overdue != null && promise.getString("eventId") != null
				&& overdue.getList("causedBy", String.class, List.of()).contains(promise.getString("eventId"))) {
			// the overdue promise the open alert names is settled; another overdue one is
			// raised again by the next sweep
			clearRaisedByTime(engagement, PROMISE_OVERDUE);
		}
		openPromiseDue(engagement);
	}

	/**
	 * The earliest due date of a promise neither kept nor broken, {@code null} for none:
	 * what the sweep of time-raised alerts looks at
	 * ({@link dev.trustledger.query.alert.TimeAlerts}).
	 */
	private static void openPromiseDue(Document engagement) {
		Date earliest = null;
		for (Object value : child(engagement, "promises").values()) {
			Document promise = (Document) value;
			Date due = promise.getDate("dueBy");
			if ("OPEN".equals(promise.getString("state")) && due != null
					&& (earliest == null || due.before(earliest))) {
				earliest = due;
			}
		}
		engagement.put(OPEN_PROMISE_DUE, earliest);
	}

	/**
	 * Whether something that occurred at {@code occurredAt} ends the quiet spell the
	 * engagement's stale alert was raised for: it occurred after the spell's crossing. An
	 * event backdated into the spell, or older history being imported, does not, so that
	 * one spell is one alert.
	 */
	private static boolean endsQuietSpell(Document engagement, Instant occurredAt) {
		Document latest = engagement.get("latestAlerts", Document.class);
		Object stale = (latest != null) ? latest.get(AlertDetector.ENGAGEMENT_STALE) : null;
		Date since = (stale instanceof Document alert) ? alert.getDate("occurredAt")
				: engagement.getDate("lastEventAt");
		return since == null || occurredAt.isAfter(since.toInstant());
	}

	private static void clearRaisedByTime(Document engagement, String condition) {
		Document state = engagement.get("alertState", Document.class);
		if (state != null) {
			state.remove(condition);
		}
	}

}
