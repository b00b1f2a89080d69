package dev.trustledger.infra.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SerializedKeyTest {

	@Test
	void theBytesAroundAKeyOfOneStringAreFoundWithThisLibrary() {
		byte[][] around = SerializedKey.aroundOneString();
		assertThat(around).as("the fast way is taken").isNotNull();
		// the stream's magic number starts it, the list's end closes it
		assertThat(around[0]).startsWith((byte) 0xAC, (byte) 0xED);
		assertThat(around[1]).isNotEmpty();
	}

	@Test
	void aKeyIsSerializedExactlyAsJavaSerializationWritesIt() {
		List<KeyValue> keys = new ArrayList<>();
		for (String edge : List.of("", "a", "\u0000", "nul\u0000inside", "\u007f", "\u0080", "\u07ff", "\u0800",
				"\uffff", "\ud83d\ude00 a pair", "\ud83d alone", "alone \ude00", "x".repeat(65_535), "x".repeat(65_536),
				"\u4e2d".repeat(21_845), "\u4e2d".repeat(21_846), "\u0000".repeat(32_767), "\u0000".repeat(32_768),
				"engagement-42/2026-03")) {
			keys.add(new KeyValue(edge));
		}
		keys.addAll(SerializedKeyTypeTest.keyValues(new Random(3), 2_000));
		keys.add(new KeyValue("two", "strings"));
		keys.add(new KeyValue(7.0));
		keys.add(new KeyValue(new ObjectId()));
		for (KeyValue key : keys) {
			assertThat(SerializedKey.serialize(key)).as("%.40s", key).isEqualTo(ObjectDataType.serialize(key));
			assertThat(SerializedKey.of(key)).isEqualTo(SerializedKey.of(ObjectDataType.serialize(key)));
		}
	}

	@Test
	void aKeyReadFromItsBytesIsTheKeyWritten() {
		for (KeyValue key : List.of(new KeyValue("an id"), new KeyValue(""), new KeyValue("a", 1))) {
			SerializedKey read = SerializedKey.of(SerializedKey.serialize(key));
			assertThat(read.value()).isEqualTo(key);
			assertThat(read.value()).as("read once").isSameAs(read.value());
			assertThat(read).hasToString(key.toString());
		}
	}

}
