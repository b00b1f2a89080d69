package dev.trustledger.query.webhook;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.events.alert.TrustAlertRaised;
import dev.trustledger.query.alert.AlertDetector;
import dev.trustledger.support.Problems;
import dev.trustledger.support.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhook subscriptions, for admins and delivery leads. An admin sees and changes every
 * subscription; a delivery lead only their own (another's answers 404, as if it were not
 * there).
 */
@RestController
class WebhookController {

	private static final Set<String> KINDS = Set.copyOf(AlertDetector.KINDS);

	private static final int MAX_NAMES = 100;

	private static final int MAX_NAME = 200;

	private static final int MAX_DESCRIPTION = 500;

	private final Subscriptions subscriptions;

	private final Deliveries deliveries;

	private final Targets targets;

	private final Sender sender;

	private final Payloads payloads;

	private final WebhookProperties properties;

	private final ObjectMapper objectMapper;

	private final Clock clock;

	WebhookController(WebhookConfiguration.WebhookStore store, Targets targets, Sender sender, Payloads payloads,
			WebhookProperties properties, ObjectMapper objectMapper, Clock clock) {
		this.subscriptions = store.subscriptions();
		this.deliveries = store.deliveries();
		this.targets = targets;
		this.sender = sender;
		this.payloads = payloads;
		this.properties = properties;
		this.objectMapper = objectMapper;
		this.clock = clock;
	}

	@Operation(summary = "The webhook subscriptions: every one for an admin, a delivery lead's own")
	@GetMapping("/api/webhooks")
	WebhookAnswers.WebhookSubscriptions list(Authentication user) {
		Instant now = this.clock.instant();
		return new WebhookAnswers.WebhookSubscriptions(this.subscriptions.list(admin(user) ? null : user.getName())
			.stream()
			.map((subscription) -> WebhookAnswers.WebhookSubscription.of(subscription, now))
			.toList());
	}

	@Operation(summary = "Subscribe a URL to trust alerts",
			description = "JSON: url (required), description, kinds, deliveryLeads, accountTeams (empty or absent: all), "
					+ "format (standard or slack). The answer holds the signing secret, shown this once.")
	@ApiResponse(responseCode = "201", description = "Subscribed; the secret is in the answer",
			content = @Content(schema = @Schema(implementation = WebhookAnswers.WebhookSecret.class)))
	@PostMapping(path = "/api/webhooks", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<?> create(@RequestBody String body, Authentication user) {
		Settings settings;
		try {
			settings = settings(body);
		}
		catch (Rejected ex) {
			return ex.answer();
		}
		Instant now = this.clock.instant();
		Subscription created = this.subscriptions.create(settings.subscription(user.getName()), now);
		return ResponseEntity.created(URI.create("/api/webhooks/" + created.id()))
			.body(new WebhookAnswers.WebhookSecret(WebhookAnswers.WebhookSubscription.of(created, now),
					created.secrets().get(0).value()));
	}

	@Operation(summary = "A webhook subscription")
	@ApiResponse(responseCode = "200", description = "The subscription",
			content = @Content(schema = @Schema(implementation = WebhookAnswers.WebhookSubscription.class)))
	@GetMapping("/api/webhooks/{id}")
	ResponseEntity<?> get(@PathVariable String id, Authentication user) {
		return visible(id, user)
			.<ResponseEntity<?>>map((subscription) -> ResponseEntity
				.ok(WebhookAnswers.WebhookSubscription.of(subscription, this.clock.instant())))
			.orElseGet(() -> notFound(id));
	}

	@Operation(summary = "Change where a subscription posts, which alerts and in which format",
			description = "The same JSON as a new subscription; what is absent is cleared. Its secret and state stay.")
	@ApiResponse(responseCode = "200", description = "The changed subscription",
			content = @Content(schema = @Schema(implementation = WebhookAnswers.WebhookSubscription.class)))
	@PutMapping(path = "/api/webhooks/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<?> update(@PathVariable String id, @RequestBody String body, Authentication user) {
		Optional<Subscription> found = visible(id, user);
		if (found.isEmpty()) {
			return notFound(id);
		}
		Settings settings;
		try {
			settings = settings(body);
		}
		catch (Rejected ex) {
			return ex.answer();
		}
		Instant now = this.clock.instant();
		return this.subscriptions.update(id, settings.subscription(found.get().owner()), now)
			.<ResponseEntity<?>>map(
					(subscription) -> ResponseEntity.ok(WebhookAnswers.WebhookSubscription.of(subscription, now)))
			.orElseGet(() -> notFound(id));
	}

	@Operation(summary = "Delete a subscription; its outstanding deliveries are abandoned")
	@ApiResponse(responseCode = "204", description = "Deleted", content = @Content)
	@DeleteMapping("/api/webhooks/{id}")
	ResponseEntity<?> delete(@PathVariable String id, Authentication user) {
		if (visible(id, user).isEmpty() || !this.subscriptions.delete(id)) {
			return notFound(id);
		}
		this.deliveries.abandon(id, "the subscription was deleted", this.clock.instant());
		return ResponseEntity.noContent().build();
	}

	/**
	 * @param overlap how long the previous secret still signs beside the new one, as an
	 * ISO-8601 duration ({@code PT24H}, the default, {@code PT0S} to stop it at once)
	 */
	@Operation(summary = "Rotate a subscription's signing secret",
			description = "The new secret is in the answer, shown this once; the previous one goes on signing beside it for the overlap, so the receiver can switch without missing a delivery.")
	@ApiResponse(responseCode = "200", description = "The new secret",
			content = @Content(schema = @Schema(implementation = WebhookAnswers.WebhookSecret.class)))
	@PostMapping("/api/webhooks/{id}/secret")
	ResponseEntity<?> rotate(@PathVariable String id, @RequestParam(required = false) String overlap,
			Authentication user) {
		if (visible(id, user).isEmpty()) {
			return notFound(id);
		}
		Duration keep = this.properties.secretOverlap();
		if (overlap != null) {
			try {
				keep = Duration.parse(overlap);
			}
			catch (DateTimeParseException ex) {
				return Problems.answer(HttpStatus.BAD_REQUEST, "invalid-field", "overlap",
						"overlap is an ISO-8601 duration such as PT24H or PT0S; got '" + overlap + "'.");
			}
			if (keep.isNegative() || keep.compareTo(Duration.ofDays(30)) > 0) {
				return Problems.answer(HttpStatus.BAD_REQUEST, "invalid-field", "overlap",
						"overlap is between PT0S and P30D.");
			}
		}
		Instant now = this.clock.instant();
		Optional<Subscription> rotated;
		try {
			rotated = this.subscriptions.rotate(id, keep, now);
		}
		catch (Subscriptions.ConcurrentRotationException ex) {
			return Problems.answer(HttpStatus.CONFLICT, "concurrent-rotation", "id",
					"The secret was rotated by another request at the same time; its new secret is the one to use.");
		}
		return rotated
			.<ResponseEntity<?>>map((subscription) -> ResponseEntity.ok(new WebhookAnswers.WebhookSecret(
					WebhookAnswers.WebhookSubscription.of(subscription, now), subscription.secrets().get(0).value())))
			.orElseGet(() -> notFound(id));
	}

	@Operation(summary = "Enable a subscription again",
			description = "After a 410 Gone, a run of failures or a disable by hand; its count of failures starts again from 0. Alerts raised while it was disabled are not sent.")
	@ApiResponse(responseCode = "200", description = "The subscription, enabled",
			content = @Content(schema = @Schema(implementation = WebhookAnswers.WebhookSubscription.class)))
	@PostMapping("/api/webhooks/{id}/enable")
	ResponseEntity<?> enable(@PathVariable String id, Authentication user) {
		if (visible(id, user).isEmpty()) {
			return notFound(id);
		}
		Instant now = this.clock.instant();
		return this.subscriptions.enable(id, now)
			.<ResponseEntity<?>>map(
					(subscription) -> ResponseEntity.ok(WebhookAnswers.WebhookSubscription.of(subscription, now)))
			.orElseGet(() -> notFound(id));
	}

	@Operation(summary = "Disable a subscription by hand; its outstanding deliveries are abandoned")
	@ApiResponse(responseCode = "200", description = "The subscription, disabled",
			content = @Content(schema = @Schema(implementation = WebhookAnswers.WebhookSubscription.class)))
	@PostMapping("/api/webhooks/{id}/disable")
	ResponseEntity<?> disable(@PathVariable String id, Authentication user) {
		if (visible(id, user).isEmpty()) {
			return notFound(id);
		}
		Instant now = this.clock.instant();
		String reason = "disabled by " + user.getName();
		this.subscriptions.disable(id, reason, now);
		this.deliveries.abandon(id, "the subscription was disabled: " + reason, now);
		return get(id, user);
	}

	@Operation(summary = "Send a test alert to a subscription now",
			description = "Signed like every delivery, of type webhook.test, sent once and logged, never retried; sent even while the subscription is disabled, to check a receiver before enabling it.")
	@ApiResponse(responseCode = "200", description = "What the receiver answered",
			content = @Content(schema = @Schema(implementation = WebhookAnswers.WebhookTest.class)))
	@PostMapping("/api/webhooks/{id}/test")
	ResponseEntity<?> test(@PathVariable String id, Authentication user) {
		Optional<Subscription> found = visible(id, user);
		if (found.isEmpty()) {
			return notFound(id);
		}
		Instant now = this.clock.instant();
		String alertId = "test:" + id + ":" + now.toEpochMilli() + "-" + UUID.randomUUID().toString().substring(0, 8);
		TrustAlertRaised alert = new TrustAlertRaised("test-engagement", alertId, AlertDetector.TRUST_DROP,
				new BigDecimal("48.0"), new BigDecimal("71.5"), "AT_RISK", List.of("test-event"), now, "test");
		AlertMessage message = this.payloads.test(found.get().format(), alert);
		Sender.Result result = this.sender.send(found.get(), message.alertId(), message.body());
		boolean delivered = result.status() >= 200 && result.status() < 300;
		this.deliveries.logTest(id, alertId, result.attempt(), delivered);
		return ResponseEntity
			.ok(new WebhookAnswers.WebhookTest(delivered, new WebhookAnswers.WebhookAttempt(result.at(),
					result.status(), result.error(), result.millis(), result.response()), alertId));
	}

	@Operation(summary = "A subscription's delivery log, the latest first",
			description = "Every alert queued for it, with its state and latest attempts; test sends included.")
	@ApiResponse(responseCode = "200", description = "The deliveries",
			content = @Content(schema = @Schema(implementation = WebhookAnswers.WebhookDeliveries.class)))
	@GetMapping("/api/webhooks/{id}/deliveries")
	ResponseEntity<?> deliveries(@PathVariable String id, @RequestParam(defaultValue = "50") int limit,
			Authentication user) {
		if (visible(id, user).isEmpty()) {
			return notFound(id);
		}
		if (limit < 1 || limit > 1000) {
			return Problems.answer(HttpStatus.BAD_REQUEST, "invalid-field", "limit", "limit is 1 to 1000.");
		}
		return ResponseEntity.ok(new WebhookAnswers.WebhookDeliveries(id,
				this.deliveries.log(id, limit).stream().map(WebhookAnswers.WebhookDelivery::of).toList()));
	}

	private Optional<Subscription> visible(String id, Authentication user) {
		return this.subscriptions.find(id)
			.filter((subscription) -> admin(user) || user.getName().equals(subscription.owner()));
	}

	private static boolean admin(Authentication user) {
		return user.getAuthorities()
			.stream()
			.anyMatch((authority) -> authority.getAuthority().equals("ROLE_" + Role.ADMIN.name()));
	}

	private static ResponseEntity<?> notFound(String id) {
		return Problems.answer(HttpStatus.NOT_FOUND, "webhook-not-found", "id", "No webhook subscription " + id + ".");
	}

	/** A subscription's settings as asked for, checked. */
	private record Settings(URI url, String description, Set<String> kinds, Set<String> deliveryLeads,
			Set<String> accountTeams, Subscription.Format format) {

		Subscription subscription(String owner) {
			return new Subscription(null, this.url, this.description, this.kinds, this.deliveryLeads, this.accountTeams,
					this.format, List.of(), true, null, null, 0, owner, null, null);
		}

	}

	private Settings settings(String body) throws Rejected {
		JsonNode json;
		try {
			json = this.objectMapper.readTree(body);
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			throw new Rejected("malformed-json", "body", "The body is not JSON: " + ex.getOriginalMessage());
		}
		if (json == null || !json.isObject()) {
			throw new Rejected("invalid-field", "body", "The body is a JSON object with at least url.");
		}
		for (java.util.Iterator<String> names = json.fieldNames(); names.hasNext();) {
			String name = names.next();
			if (!Set.of("url", "description", "kinds", "deliveryLeads", "accountTeams", "format").contains(name)) {
				throw new Rejected("unknown-field", name, name
						+ " is not a field of a subscription: url, description, kinds, deliveryLeads, accountTeams, format.");
			}
		}
		JsonNode url = json.path("url");
		if (!url.isMissingNode() && !url.isNull() && !url.isTextual()) {
			throw new Rejected("invalid-field", "url", "url is a string.");
		}
		URI target;
		try {
			target = this.targets.check(url.isTextual() ? url.asText() : null);
		}
		catch (Targets.Refused ex) {
			throw new Rejected(ex.code(), "url", ex.getMessage());
		}
		String description = text(json, "description", MAX_DESCRIPTION);
		Set<String> kinds = names(json, "kinds");
		for (String kind : kinds) {
			if (!KINDS.contains(kind)) {
				throw new Rejected("invalid-field", "kinds", "kinds holds alert kinds, "
						+ String.join(" or ", KINDS.stream().sorted().toList()) + "; got '" + kind + "'.");
			}
		}
		String format = text(json, "format", 20);
		Subscription.Format chosen;
		try {
			chosen = (format != null) ? Subscription.Format.valueOf(format.toUpperCase(Locale.ROOT))
					: Subscription.Format.STANDARD;
		}
		catch (IllegalArgumentException ex) {
			throw new Rejected("invalid-field", "format", "format is standard or slack; got '" + format + "'.");
		}
		return new Settings(target, description, kinds, names(json, "deliveryLeads"), names(json, "accountTeams"),
				chosen);
	}

	private static String text(JsonNode json, String field, int max) throws Rejected {
		JsonNode value = json.path(field);
		if (value.isMissingNode() || value.isNull()) {
			return null;
		}
		if (!value.isTextual()) {
			throw new Rejected("invalid-field", field, field + " is a string.");
		}
		if (value.asText().length() > max) {
			throw new Rejected("invalid-field", field, field + " is at most " + max + " characters.");
		}
		return value.asText();
	}

	private static Set<String> names(JsonNode json, String field) throws Rejected {
		JsonNode value = json.path(field);
		if (value.isMissingNode() || value.isNull()) {
			return Set.of();
		}
		if (!value.isArray()) {
			throw new Rejected("invalid-field", field, field + " is an array of strings, empty for all.");
		}
		if (value.size() > MAX_NAMES) {
			throw new Rejected("invalid-field", field, field + " holds at most " + MAX_NAMES + " entries.");
		}
		Set<String> names = new LinkedHashSet<>();
		for (JsonNode name : value) {
			if (!name.isTextual() || name.asText().isBlank() || name.asText().length() > MAX_NAME) {
				throw new Rejected("invalid-field", field,
						field + " holds non-empty strings of at most " + MAX_NAME + " characters.");
			}
			names.add(name.asText());
		}
		return Set.copyOf(names);
	}

	/** A request that is not valid: the problem to answer. */
	private static final class Rejected extends Exception {

		private final String code;

		private final String field;

		Rejected(String code, String field, String detail) {
			super(detail, null, false, false);
			this.code = code;
			this.field = field;
		}

		ResponseEntity<?> answer() {
			return Problems.answer(HttpStatus.BAD_REQUEST, this.code, this.field, getMessage());
		}

	}

}
