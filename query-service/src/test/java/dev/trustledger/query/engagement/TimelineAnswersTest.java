package dev.trustledger.query.engagement;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineAnswersTest {

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

	@Test
	void aLargeAnswerIsKeptCompressedOnlyAndReadBackWhole() {
		byte[] json = json(400);
		assertThat(json.length).isGreaterThan(Timelines.Answer.COMPRESSED_FROM);
		Timelines.Answer written = Timelines.Answer.of(json);
		Timelines.Answer kept = written.kept();
		assertThat(kept.gzip()).isNotNull().isSameAs(written.gzip());
		assertThat(kept.weight()).isEqualTo(kept.gzip().length).isLessThan(json.length / 3);
		assertThat(kept.json()).isEqualTo(json);
		assertThat(written.json()).isSameAs(json);
		// compressed at the fastest level: the deflated stream after gzip's 10-byte
		// header
		java.util.zip.Deflater fastest = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_SPEED, true);
		fastest.setInput(json);
		fastest.finish();
		byte[] deflated = new byte[json.length];
		int length = fastest.deflate(deflated);
		fastest.end();
		assertThat(java.util.Arrays.copyOfRange(kept.gzip(), 10, 10 + length))
			.isEqualTo(java.util.Arrays.copyOf(deflated, length));
	}

	@Test
	void aSmallAnswerIsKeptAsItIs() {
		byte[] json = json(3);
		Timelines.Answer kept = Timelines.Answer.of(json).kept();
		assertThat(kept.gzip()).isNull();
		assertThat(kept.json()).isSameAs(json);
		assertThat(kept.weight()).isEqualTo(json.length);
	}

	@Test
	void aQuestionAskedAgainIsAnsweredFromTheKeptAnswerWithoutWritingIt() {
		Timelines timelines = new Timelines(1000, 1 << 20);
		AtomicInteger writes = new AtomicInteger();
		byte[] json = json(400);
		Timelines.Answer first = timelines.answer("g1/7/e?whole", () -> {
			writes.incrementAndGet();
			return json;
		});
		Timelines.Answer again = timelines.answer("g1/7/e?whole", () -> {
			writes.incrementAndGet();
			return json;
		});
		assertThat(writes).hasValue(1);
		assertThat(first.json()).isSameAs(json);
		assertThat(again.json()).isEqualTo(json);
		assertThat(again.gzip()).isEqualTo(first.gzip());
	}

}
