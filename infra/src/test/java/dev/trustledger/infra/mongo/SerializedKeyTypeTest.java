package dev.trustledger.infra.mongo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SerializedKeyTypeTest {

	private final SerializedKeyType keys = new SerializedKeyType();

	/** What mongo-java-server's own H2 index uses for its keys. */
	private final ObjectDataType stock = new ObjectDataType();

	@Test
	void ordersKeysExactlyAsTheStockTypeDoes() {
		List<KeyValue> values = keyValues(new Random(7), 400);
		int disagreements = 0;
		int unequal = 0;
		for (KeyValue a : values) {
			for (KeyValue b : values) {
				int expected = Integer.signum(this.stock.compare(a, b));
				int actual = Integer.signum(this.keys.compare(SerializedKey.of(a), SerializedKey.of(b)));
				if (expected != actual) {
					disagreements++;
				}
				if (expected != 0) {
					unequal++;
				}
			}
		}
		assertThat(disagreements).isZero();
		// the sample really orders things: almost every pair differs
		assertThat(unequal).isGreaterThan(values.size() * (values.size() - 2));
	}

	@Test
	void writesWhatTheStockTypeReadsAndReadsWhatItWrites() {
		for (KeyValue value : keyValues(new Random(11), 200)) {
			WriteBuffer ours = new WriteBuffer();
			this.keys.write(ours, SerializedKey.of(value));
			WriteBuffer theirs = new WriteBuffer();
			this.stock.write(theirs, value);
			assertThat(bytes(ours)).isEqualTo(bytes(theirs));

			assertThat(this.stock.read(ByteBuffer.wrap(bytes(ours)))).isEqualTo(value);
			SerializedKey read = this.keys.read(ByteBuffer.wrap(bytes(theirs)));
			assertThat(read.value()).isEqualTo(value);
			assertThat(read).isEqualTo(SerializedKey.of(value));
		}
	}

	@Test
	void refusesAKeyThatIsNotASerializedObject() {
		WriteBuffer buffer = new WriteBuffer();
		this.stock.write(buffer, "a plain string");
		ByteBuffer written = ByteBuffer.wrap(bytes(buffer));
		assertThatThrownBy(() -> this.keys.read(written)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("KeyValue");
	}

	private static byte[] bytes(WriteBuffer buffer) {
		ByteBuffer written = buffer.getBuffer();
		written.flip();
		byte[] bytes = new byte[written.remaining()];
		written.get(bytes);
		return bytes;
	}

	/** Keys of the shapes the project's collections use, and a few others. */
	static List<KeyValue> keyValues(Random random, int count) {
		List<KeyValue> values = new ArrayList<>();
		values.add(new KeyValue(""));
		values.add(new KeyValue("x".repeat(127)));
		values.add(new KeyValue("x".repeat(128)));
		values.add(new KeyValue("é".repeat(70_000)));
		while (values.size() < count) {
			switch (random.nextInt(6)) {
				case 0 -> values.add(new KeyValue(randomString(random)));
				case 1 ->
					values.add(new KeyValue("engagement-" + random.nextInt(10_000) + "/2026-0" + random.nextInt(10)));
				case 2 -> values.add(new KeyValue(random.nextInt() >> random.nextInt(32)));
				case 3 -> values.add(new KeyValue(random.nextLong() >> random.nextInt(64)));
				case 4 -> values.add(new KeyValue(new ObjectId()));
				default -> values.add(new KeyValue(randomString(random), random.nextInt(100)));
			}
		}
		return values;
	}

	private static String randomString(Random random) {
		StringBuilder text = new StringBuilder();
		int length = random.nextInt(40);
		for (int i = 0; i < length; i++) {
			text.append(switch (random.nextInt(4)) {
				case 0 -> (char) ('a' + random.nextInt(26));
				case 1 -> (char) ('0' + random.nextInt(10));
				case 2 -> (char) (0xC0 + random.nextInt(0x100));
				default -> (char) (0x4E00 + random.nextInt(0x100));
			});
		}
		return text.toString();
	}

}
