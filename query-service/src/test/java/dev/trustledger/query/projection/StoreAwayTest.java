package dev.trustledger.query.projection;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.ServerAddress;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

import static org.assertj.core.api.Assertions.assertThat;

class StoreAwayTest {

	/**
	 * As the listener container hands a failure of the projection to its error handler.
	 */
	private static Exception failed(Throwable cause) {
		return new ListenerExecutionFailedException("Listener method threw", cause);
	}

	/** As publishing an alert fails when the broker does not acknowledge it in time. */
	private static Exception notAcknowledged(Throwable cause) {
		return new IllegalStateException("Alert a-1 not acknowledged; will be retried", cause);
	}

	@Test
	void theStoreUnreachableIsWaitedFor() {
		assertThat(StoreAway.causes(failed(new MongoSocketReadTimeoutException("read timed out",
				new ServerAddress("localhost", 27017), new java.net.SocketTimeoutException()))))
			.isTrue();
	}

	/**
	 * An alert not acknowledged used to count as a failure of the record: after about 25
	 * s of retries the record was parked, and its engagement's later records behind it.
	 */
	@Test
	void theBrokerNotAcknowledgingAnAlertIsWaitedFor() {
		assertThat(StoreAway.causes(failed(notAcknowledged(new TimeoutException())))).as("no answer in 30 s").isTrue();
		assertThat(StoreAway.causes(failed(notAcknowledged(new ExecutionException(
				new org.apache.kafka.common.errors.TimeoutException("Expiring 1 record(s): 120000 ms has passed"))))))
			.as("the producer's delivery timeout")
			.isTrue();
		assertThat(StoreAway.causes(failed(new KafkaException("Send failed",
				new org.apache.kafka.common.errors.TimeoutException("Topic not present in metadata after 10000 ms")))))
			.as("the producer blocked on metadata")
			.isTrue();
	}

	@Test
	void failuresThatWaitingDoesNotCureAreNot() {
		assertThat(StoreAway.causes(failed(
				notAcknowledged(new ExecutionException(new RecordTooLargeException("The message is 2000000 bytes"))))))
			.isFalse();
		assertThat(StoreAway.causes(failed(new IllegalArgumentException("Document with key eng-1 already existed"))))
			.isFalse();
		assertThat(StoreAway.causes(failed(new UnreadableEventException("not a CloudEvent", null)))).isFalse();
	}

}
