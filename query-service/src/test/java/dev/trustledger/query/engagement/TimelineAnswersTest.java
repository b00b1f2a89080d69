package dev.trustledger.query.engagement;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.trustledger.query.alert.Deadlines;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimelineAnswersTest {

	private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

	/** An engagement with no crossing, passed or to come. */
	private static final Deadlines.Passed NONE = new Deadlines.Passed(Set.of(), 0, null);

	private static byte[] json(int points) {
		StringBuilder text = new StringBuilder("{\"points\":[");
		for (int i = 0; i < points; i++) {
			text.append((i == 0) ? "" : ",")
				.append("{\"sequence\":")
				.append(i)
				.append(",\"trust\":")
				.append(50 + (i * 7919) % 5000 / 100.0)
				.append(",\"band\":\"WATCH\"}");
		}
		return text.append("]}").toString().getBytes(StandardCharsets.UTF_8);
	}

	/** The answer of {@code json} for a client that accepts gzip. */
	private static Timelines.Answer answerOf(byte[] json) {
		return Timelines.Answer.write((out) -> out.write(json), false);
	}

	@Test
	void aLargeAnswerIsKeptCompressedOnlyAndReadBackWhole() {
		byte[] json = json(400);
		assertThat(json.length).isGreaterThan(Timelines.Answer.COMPRESSED_FROM);
		Timelines.Answer written = answerOf(json);
		assertThat(written.gzip()).isNotNull();
		assertThat(written.weight()).isEqualTo(written.gzip().length).isLessThan(json.length / 3);
		assertThat(written.json()).isEqualTo(json);
		// compressed at the fastest level: the deflated stream after gzip's 10-byte
		// header
		java.util.zip.Deflater fastest = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_SPEED, true);
		fastest.setInput(json);
		fastest.finish();
		byte[] deflated = new byte[json.length];
		int length = fastest.deflate(deflated);
		fastest.end();
		assertThat(java.util.Arrays.copyOfRange(written.gzip(), 10, 10 + length))
			.isEqualTo(java.util.Arrays.copyOf(deflated, length));
	}

	@Test
	void anAnswerOfAFewKilobytesIsKeptCompressedToo() {
		// as large as the last 90 days of an engagement with an event every ten days
		byte[] json = json(110);
		assertThat(json.length).isBetween(4 * 1024, 8 * 1024);
		Timelines.Answer written = answerOf(json);
		assertThat(written.gzip()).isNotNull();
		assertThat(written.kept().weight()).isLessThan(json.length / 2);
		assertThat(written.json()).isEqualTo(json);
	}

	@Test
	void aSmallAnswerIsKeptAsItIs() {
		byte[] json = json(3);
		Timelines.Answer written = answerOf(json);
		assertThat(written.gzip()).isNull();
		assertThat(written.json()).isEqualTo(json);
		assertThat(written.weight()).isEqualTo(json.length);
	}

	@Test
	void answersWrittenOneAfterAnotherHoldOnlyTheirOwnBytes() {
		// the buffers are kept from one answer to the next: large, small, larger than
		// the buffers kept, a writer that fails half-way, then large again
		byte[] large = json(400);
		byte[] small = json(2);
		byte[] huge = json(40_000);
		assertThat(huge.length).isGreaterThan(Timelines.Scratch.KEPT_UP_TO);
		byte[] otherLarge = json(300);
		assertThat(answerOf(large).json()).isEqualTo(large);
		assertThat(answerOf(small).json()).isEqualTo(small);
		assertThat(answerOf(huge).json()).isEqualTo(huge);
		assertThatThrownBy(() -> Timelines.Answer.write((out) -> {
			out.write(large);
			throw new java.io.IOException("the store went away");
		}, false)).isInstanceOf(java.io.UncheckedIOException.class);
		assertThat(answerOf(otherLarge).json()).isEqualTo(otherLarge);
		assertThat(answerOf(small).json()).isEqualTo(small);
	}

	@Test
	void answersWrittenAtOnceOnSeveralThreadsHoldOnlyTheirOwnBytes() throws Exception {
		java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(12);
		try {
			List<java.util.concurrent.Future<Boolean>> checks = new java.util.ArrayList<>();
			for (int i = 0; i < 600; i++) {
				byte[] json = json(1 + (i * 37) % 500);
				checks.add(threads.submit(() -> java.util.Arrays.equals(answerOf(json).json(), json)));
			}
			for (java.util.concurrent.Future<Boolean> check : checks) {
				assertThat(check.get()).isTrue();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void aBufferGrownForAVeryLargeAnswerIsNotKept() {
		byte[] huge = json(40_000);
		assertThat(huge.length).isGreaterThan(Timelines.Scratch.KEPT_UP_TO);
		assertThat(answerOf(huge).json()).isEqualTo(huge);
		// the last buffers given back are taken first: had the grown ones been kept,
		// these would be they
		Timelines.Scratch next = Timelines.Scratch.borrow();
		try {
			assertThat(next.json.capacity()).isLessThanOrEqualTo(Timelines.Scratch.KEPT_UP_TO);
			assertThat(next.gzip.capacity()).isLessThanOrEqualTo(Timelines.Scratch.KEPT_UP_TO);
		}
		finally {
			Timelines.Scratch.release(next);
		}
	}

	@Test
	void aQuestionAskedAgainIsAnsweredFromTheKeptAnswerWithoutWritingIt() {
		Timelines timelines = new Timelines(1000, 1 << 20);
		AtomicInteger writes = new AtomicInteger();
		byte[] json = json(400);
		Timelines.Answer first = timelines.answer("g1/7/e?whole", NONE, T0, () -> {
			writes.incrementAndGet();
			return (out) -> out.write(json);
		}, false);
		Timelines.Answer again = timelines.answer("g1/7/e?whole", NONE, T0, () -> {
			writes.incrementAndGet();
			return (out) -> out.write(json);
		}, false);
		assertThat(writes).hasValue(1);
		assertThat(again).isSameAs(first);
		assertThat(first.json()).isEqualTo(json);
	}

	@Test
	void aKeptAnswerHoldsFromWhenItWasMadeUntilTheEngagementsNextCrossing() {
		Timelines timelines = new Timelines(1000, 1 << 20);
		AtomicInteger writes = new AtomicInteger();
		java.util.function.Supplier<Timelines.AnswerWriter> written = () -> {
			writes.incrementAndGet();
			return (out) -> out.write(json(400));
		};
		Instant crossing = T0.plusSeconds(3600);
		Timelines.Answer first = timelines.answer("g1/7/e?whole", new Deadlines.Passed(Set.of(), 0, crossing), T0,
				written, false);
		assertThat(timelines.kept("g1/7/e?whole", T0)).satisfies((kept) -> {
			assertThat(kept.answer()).isSameAs(first);
			assertThat(kept.passed()).isZero();
		});
		assertThat(timelines.kept("g1/7/e?whole", crossing.minusNanos(1))).isNotNull();
		assertThat(timelines.kept("g1/7/e?whole", crossing)).as("from the crossing on").isNull();
		assertThat(timelines.kept("g1/7/e?whole", T0.minusNanos(1))).as("the clock set back").isNull();

		Deadlines.Passed crossed = new Deadlines.Passed(Set.of(3L), 1, null);
		Timelines.Answer after = timelines.answer("g1/7/e?whole", crossed, crossing, written, false);
		assertThat(writes).as("another crossing taken in: written again").hasValue(2);
		assertThat(after).isNotSameAs(first);
		assertThat(timelines.kept("g1/7/e?whole", crossing.plusSeconds(86_400L * 365))).as("no crossing to come")
			.satisfies((kept) -> assertThat(kept.passed()).isEqualTo(1));
		assertThat(timelines.answer("g1/7/e?whole", crossed, crossing.plusSeconds(1), written, false)).isSameAs(after);
		assertThat(writes).hasValue(2);
	}

	@Test
	void aFirstAnswerForAClientWithoutGzipHasItsJsonAndIsKeptCompressedOnly() {
		Timelines timelines = new Timelines(1000, 1 << 20);
		byte[] json = json(400);
		Timelines.Answer first = timelines.answer("g1/7/e?whole", NONE, T0, () -> (out) -> out.write(json), true);
		assertThat(first.gzip()).isNotNull();
		assertThat(first.weight()).isEqualTo(json.length + first.gzip().length);
		assertThat(first.json()).isEqualTo(json);
		Timelines.Answer kept = timelines.answer("g1/7/e?whole", NONE, T0, () -> {
			throw new AssertionError("written again");
		}, true);
		assertThat(kept.weight()).isEqualTo(first.gzip().length);
		assertThat(kept.gzip()).isSameAs(first.gzip());
		assertThat(kept.json()).isEqualTo(json);
	}

}
