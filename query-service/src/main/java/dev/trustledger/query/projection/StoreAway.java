package dev.trustledger.query.projection;

import java.util.concurrent.TimeoutException;

import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import org.apache.kafka.common.errors.RetriableException;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * A store being away, which waiting cures: MongoDB (down, a timeout, an election), or the
 * Kafka broker that the alerts an event raises are published to (a send not acknowledged
 * in time, or failing with one of Kafka's retriable errors). A Kafka listener that meets
 * it holds its partition and tries again for as long as it takes, rather than giving the
 * record up: parked, an engagement's later records would wait behind it until an operator
 * replayed them, for a fault of the machine rather than of the record.
 */
public final class StoreAway {

	private StoreAway() {
	}

	/** Whether the failure, or one of its causes, is a store being unreachable. */
	public static boolean causes(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() == cause) ? null : cause.getCause()) {
			if (cause instanceof MongoSocketException || cause instanceof MongoTimeoutException
					|| cause instanceof MongoNotPrimaryException || cause instanceof MongoNodeIsRecoveringException
					|| cause instanceof MongoInterruptedException || cause instanceof MongoWriteConcernException
					|| cause instanceof RetriableException || cause instanceof TimeoutException) {
				return true;
			}
		}
		return false;
	}

	/** Waits from half a second, doubling up to 30 s, without end. */
	public static BackOff unbounded() {
		ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
		backOff.setMaxInterval(30_000);
		return backOff;
	}

}
