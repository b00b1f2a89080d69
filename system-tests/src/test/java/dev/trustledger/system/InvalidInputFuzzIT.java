package dev.trustledger.system;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.infra.DemoUsers;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invalid input of every kind, generated (jqwik, fixed seeds: a failure names the seed
 * and the sample that reproduce it), against the running services: at least 10,000
 * requests and import lines. Every answer to the command API and the import is a 4xx
 * problem+json and nothing is stored; no query parameter gets a 5xx; and afterwards the
 * pipeline still records and projects a fresh incident.
 */
class InvalidInputFuzzIT {

	private static final ObjectMapper json = new ObjectMapper();

	private static final JsonNodeFactory nodes = JsonNodeFactory.instance;

	private static final String TARGET = "fuzz-target";

	private static final String OTHER = "fuzz-other";

	/**
	 * A promise and an incident of the other engagement, which the target must not reach.
	 */
	private static final String OTHER_PROMISE = "other-promise";

	private static final String OTHER_INCIDENT = "00000000-0000-4000-8000-0000000000b1";

	/** An incident of the target, sent again with other content. */
	private static final String RECORDED_INCIDENT = "00000000-0000-4000-8000-0000000000a1";

	private static final List<String> INCIDENT_FIELDS = List.of("incidentId", "type", "party", "severity", "occurredAt",
			"note", "promiseId", "dueBy", "sponsor", "incidentRef");

	private static final List<String> OPENING_FIELDS = List.of("engagementId", "clientName", "accountTeam",
			"deliveryLead", "sponsor", "openedAt");

	private static Path dataDir;

	private static SystemUnderTest system;

	private static long storedAtStart;

	private static final AtomicLong requests = new AtomicLong();

	private static final AtomicLong importLines = new AtomicLong();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@BeforeContainer
	static void start() throws IOException {
		dataDir = Files.createTempDirectory("trustledger-fuzz");
		system = new SystemUnderTest("fuzz", dataDir).start();
		assertThat(system.post("/api/engagements", opening(TARGET).toString()).statusCode()).isEqualTo(201);
		assertThat(system.post("/api/engagements", opening(OTHER).toString()).statusCode()).isEqualTo(201);
		assertThat(system
			.post("/api/engagements/" + OTHER + "/incidents",
					"""
							{"incidentId": "%s", "type": "PROMISE_MADE", "promiseId": "%s", "party": "CLIENT", "severity": 2,
							 "occurredAt": "2026-02-01T00:00:00Z", "dueBy": "2026-03-01T00:00:00Z"}"""
						.formatted(UUID.randomUUID(), OTHER_PROMISE))
			.statusCode()).isEqualTo(201);
		assertThat(system.post("/api/engagements/" + OTHER + "/incidents", """
				{"incidentId": "%s", "type": "PROMISE_BROKEN", "party": "CLIENT", "severity": 2,
				 "occurredAt": "2026-02-02T00:00:00Z"}""".formatted(OTHER_INCIDENT)).statusCode()).isEqualTo(201);
		assertThat(system.post("/api/engagements/" + TARGET + "/incidents", validIncident(RECORDED_INCIDENT).toString())
			.statusCode()).isEqualTo(201);
		storedAtStart = system.storedEvents().count();
	}

	@AfterContainer
	static void stop() throws IOException {
		try {
			long stored = system.storedEvents().count();
			System.out.printf("Fuzz: %,d invalid requests and %,d invalid import lines sent; %,d events stored "
					+ "before, %,d after%n", requests.get(), importLines.get(), storedAtStart, stored);
			assertThat(requests.get() + importLines.get()).isGreaterThanOrEqualTo(10_000);
			assertThat(stored).as("nothing stored by invalid input").isEqualTo(storedAtStart);
			// the pipeline still records and projects a fresh incident
			HttpResponse<String> fresh = system.post("/api/engagements/" + TARGET + "/incidents",
					validIncident(UUID.randomUUID().toString()).toString());
			assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(201);
			long sequence = SystemUnderTest.parse(fresh.body()).path("sequence").asLong();
			await().atMost(Duration.ofSeconds(60))
				.until(() -> system.engagement(TARGET),
						(engagement) -> engagement != null && engagement.path("lastSequence").asLong() == sequence);
		}
		finally {
			system.close();
		}
	}

	@Property(tries = 5000, seed = "20261130", shrinking = ShrinkingMode.OFF)
	void anInvalidIncidentIsA4xxProblemAndStoresNothing(@ForAll("invalidIncidents") Invalid invalid) {
		String engagement = invalid.path() != null ? invalid.path() : TARGET;
		HttpResponse<String> answer = send(
				system.commandService().baseUri(), "/api/engagements/"
						+ URLEncoder.encode(engagement, StandardCharsets.UTF_8).replace("+", "%20") + "/incidents",
				"application/json", invalid.body(), "POST");
		assertProblem(invalid, answer);
		checkNothingStoredNow();
	}

	@Property(tries = 2500, seed = "20261201", shrinking = ShrinkingMode.OFF)
	void anInvalidOpeningIsA4xxProblemAndStoresNothing(@ForAll("invalidOpenings") Invalid invalid) {
		HttpResponse<String> answer = send(system.commandService().baseUri(), "/api/engagements", "application/json",
				invalid.body(), "POST");
		assertProblem(invalid, answer);
		checkNothingStoredNow();
	}

	@Property(tries = 300, seed = "20261202", shrinking = ShrinkingMode.OFF)
	void everyInvalidImportLineIsA4xxProblemAndStoresNothing(@ForAll("importFiles") List<Invalid> lines) {
		// bytes as generated, bad encodings included; no generated line holds a raw line
		// feed
		java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
		for (Invalid line : lines) {
			for (byte b : line.body()) {
				file.write((b == '\n' || b == '\r') ? ' ' : b);
			}
			file.write('\n');
		}
		HttpResponse<String> answer = send(system.commandService().baseUri(), "/api/imports", "application/x-ndjson",
				file.toByteArray(), "POST");
		importLines.addAndGet(lines.size());
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		List<String> answers = answer.body().lines().toList();
		assertThat(answers).hasSize(lines.size() + 1);
		for (int i = 0; i < lines.size(); i++) {
			JsonNode line = SystemUnderTest.parse(answers.get(i));
			assertThat(line.path("status").asInt()).as("%s: %s", lines.get(i).what(), answers.get(i))
				.isBetween(400, 499);
			assertThat(line.path("problem").path("code").asText()).isNotBlank();
		}
		assertThat(SystemUnderTest.parse(answers.get(lines.size())).path("summary").path("accepted").asInt()).isZero();
		checkNothingStoredNow();
	}

	@Property(tries = 2000, seed = "20261203", shrinking = ShrinkingMode.OFF)
	void noQueryParameterGetsA5xx(@ForAll("queries") String pathAndQuery) {
		requests.incrementAndGet();
		HttpResponse<String> answer = send(system.queryService().baseUri(), pathAndQuery, null, null, "GET");
		assertThat(answer.statusCode()).as("%s: %s", pathAndQuery, answer.body()).isLessThan(500);
		if (answer.statusCode() >= 400) {
			assertThat(answer.headers().firstValue("Content-Type")).as(pathAndQuery)
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		}
	}

	/**
	 * A generated request: what it breaks, its body, and the engagement it is sent to.
	 */
	record Invalid(String what, byte[] body, String path) {

		@Override
		public String toString() {
			String text = new String(this.body, StandardCharsets.UTF_8);
			return this.what + ": " + ((text.length() > 300) ? text.substring(0, 300) + "..." : text);
		}

	}

	// Generators

	@Provide
	Arbitrary<Invalid> invalidIncidents() {
		return Arbitraries.oneOf(wrongType(validIncidentArbitrary(), INCIDENT_FIELDS), outOfRangeSeverity(),
				badInstant(validIncidentArbitrary(), List.of("occurredAt")), badDueBy(),
				tooLong(validIncidentArbitrary(), Map.of("note", 2000, "sponsor", 200, "promiseId", 64)),
				controlCharacters(validIncidentArbitrary(), List.of("note", "sponsor")),
				unknownField(validIncidentArbitrary(), INCIDENT_FIELDS), notAnObject(), deeplyNested(),
				badEncoding(validIncidentArbitrary()), otherEngagementsReferences(), typeRules(), reusedIncidentId(),
				unknownEngagement(), tooLarge());
	}

	@Provide
	Arbitrary<Invalid> invalidOpenings() {
		Arbitrary<ObjectNode> valid = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20).map((id) -> {
			ObjectNode opening = opening("fuzz-new-" + id);
			return opening;
		});
		return Arbitraries.oneOf(wrongType(valid, OPENING_FIELDS), badInstant(valid, List.of("openedAt")),
				tooLong(valid, Map.of("clientName", 200, "accountTeam", 200, "deliveryLead", 200, "sponsor", 200)),
				controlCharacters(valid, List.of("clientName", "accountTeam", "deliveryLead", "sponsor")),
				unknownField(valid, OPENING_FIELDS), blankNames(valid), badEngagementIds(valid), notAnObject(),
				deeplyNested(), badEncoding(valid), existingWithOtherDetails());
	}

	@Provide
	Arbitrary<List<Invalid>> importFiles() {
		Arbitrary<Invalid> incidentLines = invalidIncidents().filter((invalid) -> invalid.body().length < 200_000)
			.map((invalid) -> asImportLine(invalid));
		// a blank line is skipped by the import, not answered
		return Arbitraries
			.oneOf(incidentLines, invalidOpenings().filter((invalid) -> invalid.body().length < 200_000),
					envelopeLines())
			.filter((invalid) -> !new String(invalid.body(), StandardCharsets.UTF_8).isBlank())
			.list()
			.ofSize(10);
	}

	@Provide
	Arbitrary<String> queries() {
		Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
				Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMaxLength(20),
				Arbitraries.of("-1", "0", "2147483648", "-9223372036854775809", "99999999999999999999", "1e9", "NaN",
						"", "-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59Z", "1969-12-31T23:59:59Z",
						"2026-02-30T00:00:00Z", "2026-01-01", "null", "[]", "{}", "trust,responsibility", "%", "%00",
						"../../etc/passwd", "a".repeat(5000)),
				Arbitraries.longs().map(String::valueOf));
		Arbitrary<String> parameter = Arbitraries.of("sort", "direction", "band", "deliveryLead", "accountTeam",
				"stale", "page", "size", "asOf", "knownAt", "from", "to", "granularity", "engagementId", "open",
				"limit", "at", "maxPoints", "beforeSequence", "unknown");
		Arbitrary<String> path = Arbitraries.of("/api/engagements", "/api/engagements/" + TARGET,
				"/api/engagements/" + TARGET + "/timeline", "/api/engagements/" + TARGET + "/events",
				"/api/engagements/" + TARGET + "/timeline.csv", "/api/alerts", "/api/engagements/no-such-one",
				"/api/engagements/" + TARGET + "/events.ndjson");
		Arbitrary<String> pair = Combinators.combine(parameter, values)
			.as((name, value) -> name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
		Arbitrary<String> oddId = Arbitraries.strings()
			.ofMinLength(1)
			.ofMaxLength(300)
			.map((id) -> "/api/engagements/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
		return Arbitraries.oneOf(Combinators.combine(path, pair.list().ofMinSize(1).ofMaxSize(4))
			.as((base, pairs) -> base + "?" + String.join("&", pairs)), oddId);
	}

	// Kinds of invalid input

	private static Arbitrary<ObjectNode> validIncidentArbitrary() {
		return Arbitraries.create(() -> validIncident(UUID.randomUUID().toString()));
	}

	/**
	 * Values no field of ours can be read from: arrays and objects, Jackson coerces
	 * scalars.
	 */
	private static Arbitrary<JsonNode> wrongValues() {
		return Arbitraries.of(nodes.arrayNode(), nodes.arrayNode().add(1).add("x"), nodes.objectNode(),
				nodes.objectNode().put("nested", true), nodes.arrayNode().add(nodes.arrayNode().add(3)));
	}

	private static Arbitrary<Invalid> wrongType(Arbitrary<ObjectNode> valid, List<String> fields) {
		return Combinators.combine(valid, Arbitraries.of(fields), wrongValues()).as((body, field, value) -> {
			body.set(field, value);
			return invalid("wrong type of " + field, body);
		});
	}

	private static Arbitrary<Invalid> outOfRangeSeverity() {
		Arbitrary<JsonNode> severities = Arbitraries.oneOf(
				Arbitraries.integers().filter((n) -> n < 1 || n > 5).map(nodes::numberNode),
				Arbitraries.of(nodes.numberNode(Long.MAX_VALUE), nodes.numberNode(Long.MIN_VALUE),
						nodes.numberNode(new java.math.BigInteger("99999999999999999999999")), nodes.numberNode(1e308),
						nodes.numberNode(-0.5), nodes.numberNode(9.99e99), nodes.textNode("three"), nodes.textNode(""),
						nodes.textNode("NaN"), nodes.booleanNode(true)));
		return Combinators.combine(validIncidentArbitrary(), severities).as((body, severity) -> {
			body.set("severity", severity);
			return invalid("severity " + severity, body);
		});
	}

	private static Arbitrary<JsonNode> badInstants() {
		return Arbitraries.oneOf(Arbitraries
			.of("-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
					"1969-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
					"2026-02-01", "2026-02-01T00:00:00", "", " ", "yesterday", "2099-01-01T00:00:00Z",
					"+10000-01-01T00:00:00Z", "2026-02-01T25:00:00Z", "2026-02-01T00:00:00+25:00")
			.map(nodes::textNode),
				Arbitraries.of(nodes.numberNode(1e20), nodes.numberNode(-1e20), nodes.numberNode(Long.MAX_VALUE),
						nodes.numberNode(253402300800L), nodes.numberNode(-1L)));
	}

	private static Arbitrary<Invalid> badInstant(Arbitrary<ObjectNode> valid, List<String> fields) {
		return Combinators.combine(valid, Arbitraries.of(fields), badInstants()).as((body, field, instant) -> {
			body.set(field, instant);
			return invalid(field + " " + instant, body);
		});
	}

	private static Arbitrary<Invalid> badDueBy() {
		return Combinators
			.combine(badInstants().filter((instant) -> !instant.asText().startsWith("2099")),
					Arbitraries.of(true, false))
			.as((dueBy, beforeMade) -> {
				ObjectNode body = validIncident(UUID.randomUUID().toString());
				body.put("type", "PROMISE_MADE");
				body.put("party", "VENDOR");
				body.put("promiseId", "fuzz-" + UUID.randomUUID().toString().substring(0, 8));
				body.set("dueBy", beforeMade ? nodes.textNode("2026-01-15T00:00:00Z") : dueBy);
				return invalid("dueBy " + body.get("dueBy"), body);
			});
	}

	private static Arbitrary<Invalid> tooLong(Arbitrary<ObjectNode> valid, Map<String, Integer> limits) {
		return Combinators
			.combine(valid, Arbitraries.of(List.copyOf(limits.keySet())), Arbitraries.integers().between(1, 50_000),
					Arbitraries.chars().alpha())
			.as((body, field, extra, c) -> {
				body.put(field, String.valueOf(c).repeat(limits.get(field) + extra));
				return invalid(field + " too long", body);
			});
	}

	private static Arbitrary<Invalid> controlCharacters(Arbitrary<ObjectNode> valid, List<String> fields) {
		Arbitrary<String> bad = Arbitraries.oneOf(
				Arbitraries.chars()
					.range('\u0000', '\u001f')
					.filter((c) -> c != '\t' && c != '\n')
					.map(String::valueOf),
				Arbitraries.chars().range('\u007f', '\u009f').map(String::valueOf),
				Arbitraries.chars().range('\ud800', '\udfff').map(String::valueOf),
				Arbitraries.of("\uffff", "\ufffe", "\ufdd0"));
		return Combinators.combine(valid, Arbitraries.of(fields), bad, Arbitraries.strings().alpha().ofMaxLength(10))
			.as((body, field, c, text) -> {
				body.put(field, text + c + text);
				return invalid(field + " with U+" + Integer.toHexString(c.charAt(0)), body);
			});
	}

	private static Arbitrary<Invalid> unknownField(Arbitrary<ObjectNode> valid, List<String> known) {
		return Combinators
			.combine(valid,
					Arbitraries.strings().ofMinLength(1).ofMaxLength(30).filter((name) -> !known.contains(name)),
					Arbitraries.oneOf(wrongValues(), Arbitraries.strings().map(nodes::textNode)))
			.as((body, name, value) -> {
				body.set(name, value);
				return invalid("unknown field " + name, body);
			});
	}

	private static Arbitrary<Invalid> notAnObject() {
		return Arbitraries
			.of("", " ", "null", "[]", "[{}]", "42", "\"text\"", "true", "{", "{\"a\":", "}{", "{}{}",
					"{\"incidentId\": }", "\u0000", "{'single': 'quotes'}", "{\"a\": NaN}", "{\"a\": 01}")
			.map((body) -> new Invalid("not an object: " + body, body.getBytes(StandardCharsets.UTF_8), null));
	}

	private static Arbitrary<Invalid> deeplyNested() {
		return Arbitraries.integers().between(900, 20_000).map((depth) -> {
			String body = "{\"note\": " + "[".repeat(depth) + "]".repeat(depth) + "}";
			return new Invalid("nested " + depth + " deep", body.getBytes(StandardCharsets.UTF_8), null);
		});
	}

	private static Arbitrary<Invalid> badEncoding(Arbitrary<ObjectNode> valid) {
		byte[][] sequences = { { (byte) 0xC3, (byte) 0x28 }, { (byte) 0xFF }, { (byte) 0xE2, (byte) 0x82 },
				{ (byte) 0xF0, (byte) 0x28, (byte) 0x8C, (byte) 0x28 }, { (byte) 0xC0, (byte) 0xAF },
				{ (byte) 0xED, (byte) 0xA0, (byte) 0x80 } };
		return Combinators.combine(valid, Arbitraries.integers().between(0, sequences.length - 1)).as((body, which) -> {
			body.put("note", "MARK");
			byte[] text = body.toString().getBytes(StandardCharsets.UTF_8);
			String asText = new String(text, StandardCharsets.ISO_8859_1);
			int at = asText.indexOf("MARK");
			byte[] bad = sequences[which];
			byte[] result = new byte[text.length - 4 + bad.length];
			System.arraycopy(text, 0, result, 0, at);
			System.arraycopy(bad, 0, result, at, bad.length);
			System.arraycopy(text, at + 4, result, at + bad.length, text.length - at - 4);
			return new Invalid("bad UTF-8 " + which, result, null);
		});
	}

	private static Arbitrary<Invalid> otherEngagementsReferences() {
		return Arbitraries.of("keep", "break", "responsibility", "share").map((kind) -> {
			ObjectNode body = nodes.objectNode();
			body.put("incidentId", UUID.randomUUID().toString());
			body.put("occurredAt", "2026-02-10T00:00:00Z");
			switch (kind) {
				case "keep" -> body.put("type", "PROMISE_KEPT").put("promiseId", OTHER_PROMISE);
				case "break" -> body.put("type", "PROMISE_BROKEN").put("promiseId", OTHER_PROMISE);
				case "responsibility" ->
					body.put("type", "RESPONSIBILITY_TAKEN").put("party", "VENDOR").put("incidentRef", OTHER_INCIDENT);
				default -> body.put("type", "CLIENT_SHARED_BLAME").put("incidentRef", OTHER_INCIDENT);
			}
			return invalid("another engagement's " + kind, body);
		});
	}

	private static Arbitrary<Invalid> typeRules() {
		return Arbitraries
			.of("PROMISE_MADE", "PROMISE_KEPT", "SPONSOR_GAINED", "SPONSOR_LOST", "CLIENT_SHARED_BLAME",
					"STOOD_BY_PARTNER", "RENEWAL_DECIDED", "CLIENT_ESCALATED", "ENGAGEMENT_ENDED",
					"INFORMATION_WITHHELD", "INFORMATION_SHARED", "DECISION_STALLED", "DECISION_MADE",
					"CHANGE_RESISTED", "STAKEHOLDER_ENGAGED", "STAKEHOLDER_LOST", "NO_SUCH_TYPE", "promise_broken", "")
			.map((type) -> {
				ObjectNode body = validIncident(UUID.randomUUID().toString());
				// PROMISE_BROKEN's fields and a due date fit none of these: each misses
				// a field or has one it does not take (a promise made has no due date
				// here; no outcome or cooperation type takes a due date)
				body.put("type", type);
				if (!type.equals("PROMISE_MADE")) {
					body.put("dueBy", "2026-03-01T00:00:00Z");
				}
				return invalid("rules of " + type, body);
			});
	}

	private static Arbitrary<Invalid> reusedIncidentId() {
		return Arbitraries.integers().between(1, 5).filter((severity) -> severity != 3).map((severity) -> {
			ObjectNode body = validIncident(RECORDED_INCIDENT);
			body.put("severity", severity);
			return invalid("reused incident id", body);
		});
	}

	private static Arbitrary<Invalid> unknownEngagement() {
		return Arbitraries.strings()
			.ofMinLength(1)
			.ofMaxLength(100)
			.map((id) -> new Invalid("unknown engagement " + id,
					validIncident(UUID.randomUUID().toString()).toString().getBytes(StandardCharsets.UTF_8),
					"fuzz-none-" + id));
	}

	private static Arbitrary<Invalid> tooLarge() {
		return Arbitraries.integers().between(1_048_577, 1_300_000).map((size) -> {
			ObjectNode body = validIncident(UUID.randomUUID().toString());
			body.put("note", "x".repeat(size));
			return invalid("a body of " + size + " bytes", body);
		});
	}

	private static Arbitrary<Invalid> blankNames(Arbitrary<ObjectNode> valid) {
		return Combinators
			.combine(valid, Arbitraries.of("clientName", "accountTeam", "deliveryLead"),
					Arbitraries.of("", " ", "\t", "   "))
			.as((body, field, blank) -> {
				body.put(field, blank);
				return invalid("blank " + field, body);
			});
	}

	private static Arbitrary<Invalid> badEngagementIds(Arbitrary<ObjectNode> valid) {
		Arbitrary<String> ids = Arbitraries.oneOf(
				Arbitraries.of("", "-starts-with-dash", "has space", "../escape", "a/b", "a#b", "a$b", "é",
						"a".repeat(65), ".dot", "with\nnewline"),
				Arbitraries.strings()
					.ofMinLength(1)
					.ofMaxLength(70)
					.filter((id) -> !id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")));
		return Combinators.combine(valid, ids).as((body, id) -> {
			body.put("engagementId", id);
			return invalid("engagement id " + id, body);
		});
	}

	private static Arbitrary<Invalid> existingWithOtherDetails() {
		return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20).map((name) -> {
			ObjectNode body = opening(TARGET);
			body.put("clientName", "Another " + name);
			return invalid("existing engagement, other details", body);
		});
	}

	private static Arbitrary<Invalid> envelopeLines() {
		return Arbitraries
			.of("trustledger.engagement.NoSuch.v1", "trustledger.engagement.PromiseBroken.v1",
					"trustledger.engagement.EngagementClosed.v1", "trustledger.engagement.EngagementOpened.v1")
			.map((type) -> {
				ObjectNode envelope = nodes.objectNode();
				envelope.put("specversion", "1.0");
				envelope.put("id", UUID.randomUUID().toString());
				envelope.put("type", type);
				ObjectNode data = envelope.putObject("data");
				data.put("engagementId", TARGET);
				data.put("occurredAt", "-1000000000-01-01T00:00:00Z");
				data.put("openedAt", "1960-01-01T00:00:00Z");
				data.put("severity", 99);
				return invalid("envelope " + type, envelope);
			});
	}

	/**
	 * An incident as an import line: its engagement is added in front of its other
	 * fields, byte for byte, so that what made it invalid (a bad encoding, say) stays as
	 * it was.
	 */
	private static Invalid asImportLine(Invalid incident) {
		byte[] body = incident.body();
		String text = new String(body, StandardCharsets.ISO_8859_1);
		if (!text.startsWith("{\"") || text.contains("\"engagementId\"")) {
			return incident;
		}
		String engagement = (incident.path() != null) ? incident.path() : TARGET;
		byte[] field;
		try {
			field = ("{\"engagementId\":" + ASCII.writeValueAsString(engagement) + ",")
				.getBytes(StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		byte[] line = new byte[field.length + body.length - 1];
		System.arraycopy(field, 0, line, 0, field.length);
		System.arraycopy(body, 1, line, field.length, body.length - 1);
		return new Invalid(incident.what(), line, null);
	}

	// Helpers

	private static ObjectNode validIncident(String incidentId) {
		ObjectNode body = nodes.objectNode();
		body.put("incidentId", incidentId);
		body.put("type", "PROMISE_BROKEN");
		body.put("party", "VENDOR");
		body.put("severity", 3);
		body.put("occurredAt", "2026-02-15T00:00:00Z");
		return body;
	}

	private static ObjectNode opening(String id) {
		ObjectNode body = nodes.objectNode();
		body.put("engagementId", id);
		body.put("clientName", "Fuzz Client");
		body.put("accountTeam", "Team Fuzz");
		body.put("deliveryLead", "Lead Fuzz");
		body.put("openedAt", "2026-01-01T00:00:00Z");
		return body;
	}

	/**
	 * Written with every character outside ASCII escaped, so that what is generated (a
	 * lone surrogate, say) reaches the service as generated, not as UTF-8's replacement
	 * for it.
	 */
	private static Invalid invalid(String what, ObjectNode body) {
		try {
			return new Invalid(what, ASCII.writeValueAsBytes(body), null);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static final com.fasterxml.jackson.databind.ObjectWriter ASCII = json.writer()
		.with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII);

	private static void assertProblem(Invalid invalid, HttpResponse<String> answer) {
		requests.incrementAndGet();
		assertThat(answer.statusCode()).as("%s -> %s", invalid, answer.body()).isBetween(400, 499);
		assertThat(answer.headers().firstValue("Content-Type")).as(invalid.toString())
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(SystemUnderTest.parse(answer.body()).path("code").asText()).as(invalid.toString()).isNotBlank();
	}

	/** Every few hundred requests: the store still holds exactly what it held. */
	private static void checkNothingStoredNow() {
		if (requests.get() % 500 == 0) {
			assertThat(system.storedEvents().count()).isEqualTo(storedAtStart);
		}
	}

	private static HttpResponse<String> send(URI base, String path, String contentType, byte[] body, String method) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
			.timeout(Duration.ofSeconds(60));
		DemoUsers.User user = system.user(method.equals("GET") ? "ANALYST" : "ACCOUNT_TEAM");
		request.header("Authorization", user.basicAuthorization());
		if (body != null) {
			request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		try {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
