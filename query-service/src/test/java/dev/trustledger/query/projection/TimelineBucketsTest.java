package dev.trustledger.query.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.query.fixtures.RandomIncidents;
import dev.trustledger.scoring.ScorableEvent;
import dev.trustledger.scoring.ScorePoint;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineBucketsTest {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	/** How buckets held their points before rows: a JSON text of point objects. */
	private static final ObjectMapper OBJECTS = JsonMapper.builder()
		.addModule(new JavaTimeModule())
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
		.build();

	@Test
	void rowsReadBackAsThePointsTheyWereMadeFromAndAsBucketsOfObjectsRead() throws Exception {
		ScoringEngine.Timeline timeline = timeline(new Random(4), 400);
		List<ScorePoint> points = timeline.points();
		Map<String, Document> buckets = EngagementDocuments.timelineBuckets("e", points, "");
		TimelineLayout layout = TimelineLayout.of(EngagementDocuments.monthsOf(points));
		assertThat(buckets).hasSizeGreaterThan(3);
		List<Document> fromRows = new ArrayList<>();
		List<Document> fromObjects = new ArrayList<>();
		List<Document> fromTimelineRows = new ArrayList<>();
		List<Document> fromTimelineRowsOfObjects = new ArrayList<>();
		for (Map.Entry<String, Document> bucket : buckets.entrySet()) {
			assertThat(bucket.getValue().getString("_id")).isEqualTo("e#" + bucket.getKey());
			fromRows.addAll(EngagementDocuments.points(bucket.getValue()));
			List<ScorePoint> month = points.stream()
				.filter((point) -> layout.startOf(EngagementDocuments.month(point.occurredAt()))
					.equals(bucket.getKey()))
				.toList();
			Document objects = new Document("_id", bucket.getValue().getString("_id")).append("points",
					OBJECTS.writeValueAsString(month));
			fromObjects.addAll(EngagementDocuments.points(objects));
			EngagementDocuments.timelineRows(bucket.getValue())
				.forEach((row) -> fromTimelineRows.add(new Document(row.asMap())));
			EngagementDocuments.timelineRows(objects)
				.forEach((row) -> fromTimelineRowsOfObjects.add(new Document(row.asMap())));
		}
		assertThat(fromRows).hasSize(points.size());
		// same fields, in the same order, with the same types of value
		assertThat(fromRows.stream().map(Document::toJson))
			.containsExactlyElementsOf(fromObjects.stream().map(Document::toJson).toList());
		// the rows the timeline query reads give the same points, from either kind of
		// bucket, written out as the same JSON (decimals where the documents hold
		// doubles)
		List<String> expected = new ArrayList<>();
		for (Document point : fromRows) {
			expected.add(OBJECTS.writeValueAsString(point));
		}
		for (List<Document> read : List.of(fromTimelineRows, fromTimelineRowsOfObjects)) {
			List<String> written = new ArrayList<>();
			for (Document point : read) {
				written.add(OBJECTS.writeValueAsString(point));
			}
			assertThat(written).containsExactlyElementsOf(expected);
		}
		// a score read twice is one instance: reading a bucket makes no numbers
		Document first = buckets.values().iterator().next();
		assertThat(EngagementDocuments.timelineRows(first).get(0).point().trust())
			.isSameAs(EngagementDocuments.timelineRows(first).get(0).point().trust());
		assertThat(fromTimelineRows).extracting((point) -> point.get("occurredAt"))
			.containsExactlyElementsOf(points.stream().map((point) -> point.occurredAt().toString()).toList());
		assertThat(fromRows.get(1).get("explanation", Document.class).get("trustContributions", Document.class))
			.containsOnlyKeys("credibility", "reliability", "intimacy", "selfOrientation");
	}

	/**
	 * A row writes its point without making it, as the service's mapper writes the point
	 * made: from every kind of bucket, and from values the engine does not write (another
	 * offset or fraction of a second, numbers of other shapes, nulls).
	 */
	@Test
	void aRowWritesItsPointByteForByteAsTheMapperWritesThePointMade() throws Exception {
		ObjectMapper mapper = dev.trustledger.query.ServiceJson.mapper();
		List<TimelineRow> rows = rowsOfEveryKind();
		for (TimelineRow row : rows) {
			java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
			try (com.fasterxml.jackson.core.JsonGenerator json = mapper.createGenerator(written)) {
				row.writePoint(json);
			}
			// as bytes: the service answers with bytes, whose generator escapes what a
			// character one may not
			assertThat(written.toString(java.nio.charset.StandardCharsets.UTF_8)).as(row.values().toString())
				.isEqualTo(new String(mapper.writeValueAsBytes(row.point()), java.nio.charset.StandardCharsets.UTF_8));
		}
	}

	/**
	 * The shared decimals are written from their texts only where writeNumber would write
	 * the same: found by review, a generator that writes numbers as strings or keeps
	 * tokens (not JSON text) must get numbers.
	 */
	@Test
	void aRowWritesItsPointAsAnyGeneratorWritesThePointMade() throws Exception {
		List<TimelineRow> rows = new ArrayList<>(rowsOfEveryKind());
		// a row with more values than columns: the columns are written, as before
		rows.add(
				EngagementDocuments
					.timelineRows(new Document("_id", "e#long").append("rows",
							"[[9,\"event-9\",\"PromiseKept\",\"2026-03-01T09:30:00Z\",62.3,1,2,3,4,\"HEALTHY\",1.5,"
									+ "100.001,-0.5,7,0.10,-0.1,0,1.25,-100.00,-0.0,99.99,\"v1\",12.5,\"more\"]]"))
					.get(0));
		List<Object> longRow = rows.get(rows.size() - 1).values();
		assertThat(longRow).hasSize(EngagementDocuments.ROW_COLUMNS.size() + 2);
		// a list like any other
		assertThat(longRow).isEqualTo(new ArrayList<>(longRow)).hasSameHashCodeAs(new ArrayList<>(longRow));
		assertThat(new ArrayList<>(longRow)).isEqualTo(longRow);
		for (ObjectMapper mapper : List.of(
				dev.trustledger.query.ServiceJson.mapper()
					.copy()
					.enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS),
				dev.trustledger.query.ServiceJson.mapper()
					.copy()
					.enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
					.enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT))) {
			for (TimelineRow row : rows) {
				// as bytes and as characters, each against the mapper's own (the two
				// escape characters outside the BMP differently)
				java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
				try (com.fasterxml.jackson.core.JsonGenerator json = mapper.createGenerator(bytes)) {
					row.writePoint(json);
				}
				assertThat(bytes.toByteArray()).as(row.values().toString())
					.isEqualTo(mapper.writeValueAsBytes(row.point()));
				java.io.StringWriter text = new java.io.StringWriter();
				try (com.fasterxml.jackson.core.JsonGenerator json = mapper.createGenerator(text)) {
					row.writePoint(json);
				}
				assertThat(text.toString()).as(row.values().toString())
					.isEqualTo(mapper.writeValueAsString(row.point()));
				com.fasterxml.jackson.databind.util.TokenBuffer tokens = new com.fasterxml.jackson.databind.util.TokenBuffer(
						mapper, false);
				row.writePoint(tokens);
				assertThat((Object) mapper.readTree(tokens.asParser())).as(row.values().toString())
					.isEqualTo(mapper.valueToTree(row.point()));
			}
		}
	}

	private static List<TimelineRow> rowsOfEveryKind() throws Exception {
		List<ScorePoint> points = timeline(new Random(21), 300).points();
		List<TimelineRow> rows = new ArrayList<>();
		for (Document bucket : EngagementDocuments.timelineBuckets("e", points, "").values()) {
			rows.addAll(EngagementDocuments.timelineRows(bucket));
		}
		rows.addAll(EngagementDocuments.timelineRows(
				new Document("_id", "e#objects").append("points", OBJECTS.writeValueAsString(points.subList(0, 40)))));
		rows.addAll(EngagementDocuments.timelineRows(new Document("_id", "e#documents").append("points",
				points.subList(40, 80).stream().map(EngagementDocuments::point).toList())));
		String tail = ",\"HEALTHY\",1.5e2,100.001,-0.5,7,0.10,-0.1,0,1E-7,-100.00,-0.0,99.99,\"v1\"]";
		for (String occurredAt : List.of("2026-03-01T10:30:00+01:00", "2026-03-01T09:30:00.5Z",
				"2026-03-01T09:30:00.000Z", "2026-03-01T09:30:00.120000Z", "2026-03-01T09:30:00.123456789Z",
				"2026-03-01T09:30:00.000001Z", "2026-03-01T09:30:00.100Z", "2026-03-01T09:30:00Z",
				"0999-12-31T23:59:59Z", "2026-03-01t09:30:00z", "2026-03-01T09:30:00.1200-02:30")) {
			rows.addAll(EngagementDocuments.timelineRows(new Document("_id", "e#edges").append("rows",
					"[[9,\"event-9\",\"PromiseKept\",\"" + occurredAt + "\",62.3,1,2,3,4" + tail + "]")));
		}
		rows.addAll(EngagementDocuments.timelineRows(new Document("_id", "e#nulls").append("rows",
				"[[10,\"\u00e9v\u00e8nement \ud83d\ude80 \\\" \\u0007\",null,\"2026-03-01T09:30:00Z\",0,null,null,null,null,\"AT_RISK\",50,null,null,"
						+ "null,null,null,null,null,null,null,null,null]]")));
		assertThat(rows).hasSizeGreaterThan(300);
		return rows;
	}

	@Test
	void rowsThatAreNotArraysAreAnErrorNotACutShortTimeline() {
		for (String rows : List.of("[5]", "[[1,\"a\"],5,[2,\"b\"]]", "{}", "[[1,{\"x\":1}]]")) {
			org.assertj.core.api.Assertions
				.assertThatThrownBy(
						() -> EngagementDocuments.timelineRows(new Document("_id", "e#2026-01").append("rows", rows)))
				.as(rows)
				.isInstanceOf(RuntimeException.class);
		}
	}

	@Test
	void aRowIsAThirdOfTheSizeOfAnObject() throws Exception {
		ScoringEngine.Timeline timeline = timeline(new Random(8), 200);
		List<ScorePoint> points = timeline.points();
		int rows = EngagementDocuments.timelineBuckets("e", points, "")
			.values()
			.stream()
			.mapToInt((bucket) -> bucket.getString(EngagementDocuments.ROWS).length())
			.sum();
		assertThat(rows * 2.5).isLessThan(OBJECTS.writeValueAsString(points).length());
	}

	@Test
	void theCheckpointDocumentOfTheMonthAnsweringAnInstantGivesTheLastCheckpointByThen() {
		ScoringEngine.Timeline timeline = timeline(new Random(12), 300);
		Instant last = timeline.points().get(299).occurredAt();
		// a month without events, then one more event
		timeline.add(new ScorableEvent(300, "event-300", new dev.trustledger.events.sponsor.SponsorLost("e", "i300",
				"Sponsor", 3, null, last.plus(Duration.ofDays(40)), "alice")));
		List<ScoringEngine.Checkpoint> all = timeline.checkpoints();
		Map<String, Document> buckets = EngagementDocuments.checkpointBuckets("e", timeline.points(), all, "");
		assertThat(buckets.keySet())
			.containsExactlyElementsOf(EngagementDocuments.monthsOf(timeline.points()).keySet());
		assertThat(buckets.keySet()).hasSizeGreaterThan(12);
		buckets.forEach((month, bucket) -> assertThat(bucket.getString("_id")).isEqualTo(month + "#e"));
		List<ScoringEngine.Checkpoint> read = new ArrayList<>();
		buckets.values().forEach((bucket) -> read.addAll(EngagementDocuments.checkpoints(bucket).checkpoints()));
		assertThat(read).containsAll(all)
			.anyMatch((checkpoint) -> checkpoint.scarredAt() != null)
			.anyMatch((checkpoint) -> checkpoint.scarredAt() == null)
			.anyMatch((checkpoint) -> checkpoint.now().getNano() != 0)
			.anyMatch(ScoringEngine.Checkpoint::sponsorless);
		ScoreProjection.Subject subject = ScoreProjection.Subject.of("e", buckets.keySet());
		Instant first = timeline.points().get(0).occurredAt();
		Instant end = last.plus(Duration.ofDays(100));
		List<Instant> instants = new ArrayList<>(List.of(first.minusNanos(1), first, end));
		for (ScorePoint point : timeline.points()) {
			instants.add(point.occurredAt());
			instants.add(point.occurredAt().minusNanos(1));
		}
		Random random = new Random(3);
		for (int i = 0; i < 2_000; i++) {
			instants.add(first.minus(Duration.ofDays(5))
				.plusSeconds((long) (random.nextDouble() * Duration.between(first, end).getSeconds())));
		}
		int coveredEarlier = 0;
		int notCoveredEarlier = 0;
		for (Instant at : instants) {
			int answering = subject.answering(at);
			if (answering < 0) {
				assertThat(lastBy(all, at)).as("at %s", at).isNull();
				continue;
			}
			Document bucket = buckets.get(EngagementDocuments.monthName(answering));
			assertThat(EngagementDocuments.checkpoints(bucket).by(at)).as("at %s", at).isEqualTo(lastBy(all, at));
			Instant monthBefore = at.minus(Duration.ofDays(30));
			if (ScoreProjection.Subject.covers(answering, monthBefore)) {
				coveredEarlier++;
				assertThat(EngagementDocuments.checkpoints(bucket).by(monthBefore)).as("30 days before %s", at)
					.isEqualTo(lastBy(all, monthBefore));
			}
			else {
				notCoveredEarlier++;
			}
		}
		assertThat(coveredEarlier).isGreaterThan(1_000);
		// the first days of March, and the instants after the month without events
		assertThat(notCoveredEarlier).isPositive();
		// from a month on: that month's document, the same as when all were written
		String lastMonth = List.copyOf(buckets.keySet()).get(buckets.size() - 1);
		Map<String, Document> fromLast = EngagementDocuments.checkpointBuckets("e", timeline.points(), all, lastMonth);
		assertThat(fromLast).containsOnlyKeys(lastMonth);
		assertThat(EngagementDocuments.checkpoints(fromLast.get(lastMonth)))
			.isEqualTo(EngagementDocuments.checkpoints(buckets.get(lastMonth)));
	}

	@Test
	void aBucketTakesTheNextMonthWhileItHoldsFewerThanItsPointsAndABusyMonthIsOneOnItsOwn() {
		Map<String, int[]> months = new java.util.LinkedHashMap<>();
		int at = 0;
		// 3 points a month for 20 months, a month of 200, 30 a month for 3 months
		for (int m = 0; m < 20; m++) {
			months.put(EngagementDocuments.monthName(600 + m), new int[] { at, at + 3 });
			at += 3;
		}
		months.put(EngagementDocuments.monthName(620), new int[] { at, at + 200 });
		at += 200;
		for (int m = 21; m < 24; m++) {
			months.put(EngagementDocuments.monthName(600 + m), new int[] { at, at + 30 });
			at += 30;
		}
		TimelineLayout layout = TimelineLayout.of(months);
		// 16 months of 3 make 48: the 17th begins a bucket, which takes the busy month
		// after its 4 months of 3; the next begins one that takes a second month of 30,
		// and the last month begins the last
		assertThat(layout.starts()).containsExactly(EngagementDocuments.monthName(600),
				EngagementDocuments.monthName(616), EngagementDocuments.monthName(621),
				EngagementDocuments.monthName(623));
		assertThat(layout.startOf(EngagementDocuments.monthName(610))).isEqualTo(EngagementDocuments.monthName(600));
		assertThat(layout.startOf(EngagementDocuments.monthName(599))).isNull();
		assertThat(layout.covering(EngagementDocuments.monthName(615), EngagementDocuments.monthName(621)))
			.containsExactly(EngagementDocuments.monthName(600), EngagementDocuments.monthName(616),
					EngagementDocuments.monthName(621));
		assertThat(layout.covering(EngagementDocuments.monthName(630), null))
			.containsExactly(EngagementDocuments.monthName(623));
		assertThat(layout.covering(null, EngagementDocuments.monthName(599))).isEmpty();
	}

	@Test
	void aTimelineWrittenFromAMonthOnIsItsBucketsThatHoldThatMonthOrLater() {
		ScoringEngine.Timeline timeline = timeline(new Random(21), 600);
		List<ScorePoint> points = timeline.points();
		Map<String, Document> whole = EngagementDocuments.timelineBuckets("e", points, "");
		TimelineLayout layout = TimelineLayout.of(EngagementDocuments.monthsOf(points));
		assertThat(whole.keySet()).containsExactlyElementsOf(layout.starts());
		assertThat(layout.starts()).hasSizeBetween(5, 20);
		int rows = 0;
		for (Document bucket : whole.values()) {
			rows += EngagementDocuments.timelineRows(bucket).size();
		}
		assertThat(rows).isEqualTo(points.size());
		String middle = EngagementDocuments.month(points.get(300).occurredAt());
		Map<String, Document> fromMiddle = EngagementDocuments.timelineBuckets("e", points, middle);
		String bucketOfMiddle = layout.startOf(middle);
		assertThat(fromMiddle.keySet()).containsExactlyElementsOf(
				layout.starts().stream().filter((start) -> start.compareTo(bucketOfMiddle) >= 0).toList());
		fromMiddle.forEach((start, bucket) -> assertThat(bucket).isEqualTo(whole.get(start)));
	}

	private static ScoringEngine.Checkpoint lastBy(List<ScoringEngine.Checkpoint> checkpoints, Instant at) {
		ScoringEngine.Checkpoint last = null;
		for (ScoringEngine.Checkpoint checkpoint : checkpoints) {
			if (!checkpoint.now().isAfter(at)) {
				last = checkpoint;
			}
		}
		return last;
	}

	@Test
	void monthsAreNumberedFromJanuary1970() {
		assertThat(EngagementDocuments.monthNumber("1970-01")).isZero();
		assertThat(EngagementDocuments.monthNumber("2026-03")).isEqualTo(56 * 12 + 2);
		for (String month : List.of("1970-01", "1999-12", "2000-01", "2026-02", "9999-12")) {
			assertThat(EngagementDocuments.monthName(EngagementDocuments.monthNumber(month))).isEqualTo(month);
		}
	}

	static ScoringEngine.Timeline timeline(Random random, int events) {
		ScoringEngine.Timeline timeline = new ScoringEngine(ScoringModel.defaultModel()).timeline();
		timeline.add(new ScorableEvent(0, "event-0",
				new EngagementOpened("e", "Client", "Team", "Lead", null, T0, "alice")));
		Instant latest = T0;
		for (int sequence = 1; sequence < events; sequence++) {
			latest = latest.plus(Duration.ofMinutes(1 + random.nextInt(3 * 24 * 60)))
				.plusNanos(random.nextInt(1000) * 1_000_000L);
			EngagementEvent event = RandomIncidents.next(random, sequence, latest);
			timeline.add(new ScorableEvent(sequence, "event-" + sequence, event));
		}
		return timeline;
	}

}
