package dev.trustledger.query.engagement;

import java.util.List;

import dev.trustledger.query.ServiceJson;
import dev.trustledger.query.projection.EngagementDocuments;
import dev.trustledger.query.projection.TimelineLayout;
import dev.trustledger.query.projection.TimelineRow;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bucket kept in memory holds the one text its rows are stored as, and gives back the
 * rows it was read as; a bucket written before rows had one text keeps its rows.
 */
class TimelinesCachedTest {

	private static final String ROWS = "[[1,\"ev-1\",\"PromiseKept\",\"2026-03-02T09:00:00Z\",51.25,60,70,55.1,20.05,"
			+ "\"WATCH\",48.75,52.5,45,1.25,0.5,0.25,0.25,0.25,0.75,0.5,0.25,\"v1\"],"
			+ "[2,\"ev-2\",\"PromiseBroken\",\"2026-03-03T09:00:00.5Z\",47,60,61.5,55.1,20.05,"
			+ "\"WATCH\",46.5,52.5,40.5,-4.25,-0.5,-3.5,-0.25,0,-2.25,0,-4.5,\"v1\"]]";

	@Test
	void aBucketOfStoredRowsIsKeptAsItsTextAndReadBackAsTheSameRows() {
		Document bucket = new Document("_id", "e-1#2026-03").append("rows", ROWS);
		List<TimelineRow> read = EngagementDocuments.timelineRows(bucket);
		assertThat(read).hasSize(2);
		Timelines.Cached cached = Timelines.Cached.of(7, TimelineLayout.of(new Document("_id", "e-1")), bucket, read);
		assertThat(cached.stored()).isSameAs(bucket.get("rows"));
		assertThat(cached.points()).isEqualTo(2);
		assertThat(cached.rows("e-1#2026-03")).isEqualTo(read).isNotSameAs(read);
	}

	@Test
	void aBucketWrittenBeforeRowsHadOneTextKeepsItsRows() throws Exception {
		List<TimelineRow> read = EngagementDocuments
			.timelineRows(new Document("_id", "e-1#2026-03").append("rows", ROWS));
		// as an earlier version stored it: the points as a JSON text of objects
		String points = ServiceJson.mapper().writeValueAsString(read.stream().map(TimelineRow::point).toList());
		Document bucket = new Document("_id", "e-1#2026-03").append("points", points);
		List<TimelineRow> legacy = EngagementDocuments.timelineRows(bucket);
		assertThat(legacy).hasSize(2);
		assertThat(legacy).extracting(TimelineRow::eventId).containsExactly("ev-1", "ev-2");
		Timelines.Cached cached = Timelines.Cached.of(7, TimelineLayout.of(new Document("_id", "e-1")), bucket, legacy);
		assertThat(cached.stored()).isInstanceOf(List.class);
		assertThat(cached.points()).isEqualTo(2);
		assertThat(cached.rows("e-1#2026-03")).isEqualTo(legacy);
	}

}
