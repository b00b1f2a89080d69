package dev.trustledger.query.parking;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.bson.Document;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.mongo.MongoProperties;
import org.springframework.stereotype.Component;

/**
 * Records of the engagement-events topic the projection could not apply, parked with the
 * reason, so that one bad record stops only its own engagement. Once an engagement has a
 * parked record, its later records are parked behind it, in order, while every other
 * engagement is projected; a retry after a fix applies them in order through the live
 * projection's path, which drops any it already applied.
 * <p>
 * Two collections outside the generations, since they concern the topic, not a model:
 * {@value #RECORDS} holds each parked record whole ({@code _id} = topic, partition and
 * offset, so parking a redelivered record again changes nothing), and
 * {@value #ENGAGEMENTS} marks each engagement that has any ({@code _id} = engagement id),
 * which is what every arriving record is checked against: one primary-key lookup.
 */
@Component
public class ParkedRecords {

	static final String RECORDS = "parked_records";

	static final String ENGAGEMENTS = "parked_engagements";

	private static final Logger log = LoggerFactory.getLogger(ParkedRecords.class);

	private static final int MAX_REASON = 2000;

	private final MongoDatabase database;

	private final Clock clock;

	ParkedRecords(MongoClient client, MongoProperties properties, Clock clock) {
		this.database = client.getDatabase(properties.getMongoClientDatabase());
		this.clock = clock;
	}

	/**
	 * Whether the engagement has parked records, which its later ones must wait behind.
	 */
	public boolean holds(String engagementId) {
		return engagementId != null && engagements().find(Filters.eq("_id", engagementId))
			.projection(new Document("_id", 1))
			.first() != null;
	}

	/** Parks one record with the reason; parking it again updates the reason. */
	public void park(ConsumerRecord<String, byte[]> record, String reason) {
		String id = id(record.topic(), record.partition(), record.offset());
		List<Document> headers = new ArrayList<>();
		for (Header header : record.headers()) {
			headers.add(new Document("key", header.key()).append("value",
					new Binary((header.value() != null) ? header.value() : new byte[0])));
		}
		Document parked = new Document("_id", id).append("engagementId", record.key())
			.append("topic", record.topic())
			.append("partition", record.partition())
			.append("offset", record.offset())
			.append("value", (record.value() != null) ? new Binary(record.value()) : null)
			.append("headers", headers)
			.append("reason", abbreviate(reason))
			.append("parkedAt", Date.from(this.clock.instant()))
			.append("attempts", 1);
		records().replaceOne(Filters.eq("_id", id), parked, new ReplaceOptions().upsert(true));
		if (record.key() != null) {
			engagements().updateOne(Filters.eq("_id", record.key()),
					Updates.setOnInsert("since", Date.from(this.clock.instant())), new UpdateOptions().upsert(true));
		}
		log.warn("Parked record {} of engagement {}: {}", id, record.key(), abbreviate(reason));
	}

	long count() {
		return records().countDocuments();
	}

	long engagementCount() {
		return engagements().countDocuments();
	}

	/** The parked records, engagement by engagement in order, at most {@code limit}. */
	List<Document> list(int limit) {
		List<Document> parked = new ArrayList<>();
		records().find()
			.projection(new Document("value", 0).append("headers", 0))
			.sort(Sorts.ascending("engagementId", "partition", "offset"))
			.limit(limit)
			.forEach(parked::add);
		return parked;
	}

	/** An engagement's parked records in order, whole. */
	List<Document> of(String engagementId) {
		List<Document> parked = new ArrayList<>();
		records().find(Filters.eq("engagementId", engagementId))
			.sort(Sorts.ascending("partition", "offset"))
			.forEach(parked::add);
		return parked;
	}

	/** The engagements with parked records, and records parked without one. */
	List<String> engagementIds() {
		List<String> ids = new ArrayList<>();
		engagements().find().forEach((marker) -> ids.add(marker.getString("_id")));
		return ids;
	}

	/**
	 * Deletes a parked record that can never be applied; its engagement stays held until
	 * a retry finds nothing of it parked.
	 */
	boolean discard(String recordId) {
		return records().deleteOne(Filters.eq("_id", recordId)).getDeletedCount() > 0;
	}

	/** Done with a record: applied, or found applied already. */
	void release(Document parked) {
		records().deleteOne(Filters.eq("_id", parked.getString("_id")));
	}

	/** A retry failed again: the new reason, and one attempt more. */
	void failedAgain(Document parked, String reason) {
		records().updateOne(Filters.eq("_id", parked.getString("_id")),
				Updates.combine(Updates.set("reason", abbreviate(reason)),
						Updates.set("lastTriedAt", Date.from(this.clock.instant())), Updates.inc("attempts", 1)));
	}

	/**
	 * Lets the engagement's records through again once nothing of it is parked.
	 * @return whether it was released (a record parked meanwhile keeps it held)
	 */
	boolean releaseEngagement(String engagementId) {
		engagements().deleteOne(Filters.eq("_id", engagementId));
		if (records().find(Filters.eq("engagementId", engagementId)).first() != null) {
			// parked by the listener while the retry ran: hold again
			engagements().updateOne(Filters.eq("_id", engagementId),
					Updates.setOnInsert("since", Date.from(this.clock.instant())), new UpdateOptions().upsert(true));
			return false;
		}
		return true;
	}

	/** A parked record as the consumer received it. */
	static ConsumerRecord<String, byte[]> record(Document parked) {
		RecordHeaders headers = new RecordHeaders();
		for (Document header : parked.getList("headers", Document.class, List.of())) {
			headers.add(header.getString("key"), header.get("value", Binary.class).getData());
		}
		Binary value = parked.get("value", Binary.class);
		return new ConsumerRecord<>(parked.getString("topic"), parked.getInteger("partition"),
				parked.get("offset", Number.class).longValue(), ConsumerRecord.NO_TIMESTAMP,
				TimestampType.NO_TIMESTAMP_TYPE, ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE,
				parked.getString("engagementId"), (value != null) ? value.getData() : null, headers,
				java.util.Optional.empty());
	}

	public static String describe(Throwable failure) {
		StringBuilder reason = new StringBuilder();
		for (Throwable cause = failure; cause != null && reason.length() < MAX_REASON; cause = cause.getCause()) {
			if (!reason.isEmpty()) {
				reason.append(" <- ");
			}
			reason.append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
			if (cause.getCause() == cause) {
				break;
			}
		}
		return reason.toString();
	}

	private static String id(String topic, int partition, long offset) {
		// zero-padded: ids sort as the records do
		return "%s-%03d@%019d".formatted(topic, partition, offset);
	}

	private static String abbreviate(String reason) {
		return (reason == null || reason.length() <= MAX_REASON) ? reason : reason.substring(0, MAX_REASON - 3) + "...";
	}

	private MongoCollection<Document> records() {
		return this.database.getCollection(RECORDS);
	}

	private MongoCollection<Document> engagements() {
		return this.database.getCollection(ENGAGEMENTS);
	}

}
