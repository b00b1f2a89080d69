package dev.trustledger.query.projection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.query.ServiceJson;
import org.bson.Document;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a first whole-timeline read of a typical engagement (100 points over about three
 * years) costs in the query service's own code: reading its rows from the stored buckets,
 * and writing them as the answer's points, straight ({@link TimelineRow#writePoint}) and,
 * as the same-run baseline, by making each point and writing it through the service's
 * object mapper, as answers were written before.
 * <p>
 * Those three, and {@code oneEngagementReadAndWritten}, measure one engagement read again
 * and again, so every number it holds stays in the processor's caches. A first read under
 * the read load driver is one of 10,000 engagements, read from its buckets' text and
 * written at once: {@code oneOfAThousandEngagementsReadAndWritten} measures that, over a
 * thousand engagements taken in turn.
 * <p>
 * {@code ./mvnw -pl query-service -am verify -DskipTests -Pjmh}; the figures go to
 * {@code query-service/target/jmh-timeline-writing.txt}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TimelineWritingBenchmark {

	private ObjectMapper mapper;

	private List<Document> buckets;

	private List<TimelineRow> rows;

	private List<List<Document>> engagements;

	private int next;

	@Setup
	public void setUp() {
		this.mapper = ServiceJson.mapper();
		this.buckets = new ArrayList<>(
				EngagementDocuments.timelineBuckets("e", TimelineBucketsTest.timeline(new Random(3), 100).points(), "")
					.values());
		this.rows = new ArrayList<>();
		for (Document bucket : this.buckets) {
			this.rows.addAll(EngagementDocuments.timelineRows(bucket));
		}
		Random random = new Random(7);
		this.engagements = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			this.engagements.add(new ArrayList<>(
					EngagementDocuments.timelineBuckets("e" + i, TimelineBucketsTest.timeline(random, 100).points(), "")
						.values()));
		}
	}

	@Benchmark
	public byte[] oneEngagementReadAndWritten() throws IOException {
		return readAndWritten(this.buckets);
	}

	@Benchmark
	public byte[] oneOfAThousandEngagementsReadAndWritten() throws IOException {
		this.next = (this.next + 1) % this.engagements.size();
		return readAndWritten(this.engagements.get(this.next));
	}

	private byte[] readAndWritten(List<Document> buckets) throws IOException {
		List<TimelineRow> read = new ArrayList<>();
		for (Document bucket : buckets) {
			read.addAll(EngagementDocuments.timelineRows(bucket));
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
		try (JsonGenerator json = this.mapper.createGenerator(bytes)) {
			json.writeStartArray();
			for (TimelineRow row : read) {
				row.writePoint(json);
			}
			json.writeEndArray();
		}
		return bytes.toByteArray();
	}

	@Benchmark
	public List<TimelineRow> rowsReadFromTheirBuckets() {
		List<TimelineRow> read = new ArrayList<>();
		for (Document bucket : this.buckets) {
			read.addAll(EngagementDocuments.timelineRows(bucket));
		}
		return read;
	}

	@Benchmark
	public byte[] pointsWrittenStraightFromTheRows() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
		try (JsonGenerator json = this.mapper.createGenerator(bytes)) {
			json.writeStartArray();
			for (TimelineRow row : this.rows) {
				row.writePoint(json);
			}
			json.writeEndArray();
		}
		return bytes.toByteArray();
	}

	@Benchmark
	public byte[] pointsMadeAndWrittenThroughDatabind() throws IOException {
		return this.mapper.writeValueAsBytes(this.rows.stream().map(TimelineRow::point).toList());
	}

}
