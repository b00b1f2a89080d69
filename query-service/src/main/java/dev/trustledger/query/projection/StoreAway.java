package dev.trustledger.query.projection;

import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The store being away (MongoDB down, a timeout, an election), which waiting cures: a
 * Kafka listener that meets it holds its partition and tries again for as long as it
 * takes, rather than giving the record up.
 */
public final class StoreAway {

	private StoreAway() {
	}

	/** Whether the failure, or one of its causes, is the store being unreachable. */
	public static boolean causes(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() == cause) ? null : cause.getCause()) {
			if (cause instanceof MongoSocketException || cause instanceof MongoTimeoutException
					|| cause instanceof MongoNotPrimaryException || cause instanceof MongoNodeIsRecoveringException
					|| cause instanceof MongoInterruptedException || cause instanceof MongoWriteConcernException) {
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
