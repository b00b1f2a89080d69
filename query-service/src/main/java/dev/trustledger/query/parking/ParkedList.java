package dev.trustledger.query.parking;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The records the projection parked, engagement by engagement, in order.
 *
 * @param count how many records are parked
 * @param engagements how many engagements they hold back
 * @param records the first of them, with why each was parked
 */
@Schema(name = "ParkedRecords")
record ParkedList(long count, long engagements, List<Record> records) {

	/**
	 * A record the projection could not apply: its engagement waits behind it.
	 *
	 * @param id the parked record, to discard it by
	 * @param reason why it could not be applied
	 * @param parkedAt when it was parked
	 * @param attempts how many times it was tried
	 */
	@Schema(name = "ParkedRecord")
	record Record(String id, String engagementId, String topic, Integer partition, long offset, String reason,
			Instant parkedAt, int attempts) {
	}

}
