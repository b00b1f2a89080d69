package dev.trustledger.command.engagement;

import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.trustledger.command.engagement.RuleViolation.Kind;
import dev.trustledger.events.IncidentEvent;
import dev.trustledger.events.Party;
import dev.trustledger.events.SeverityRated;
import dev.trustledger.events.cooperation.ChangeResisted;
import dev.trustledger.events.cooperation.DecisionMade;
import dev.trustledger.events.cooperation.DecisionStalled;
import dev.trustledger.events.cooperation.EngageStakeholder;
import dev.trustledger.events.cooperation.InformationShared;
import dev.trustledger.events.cooperation.InformationWithheld;
import dev.trustledger.events.cooperation.LoseStakeholder;
import dev.trustledger.events.cooperation.MakeDecision;
import dev.trustledger.events.cooperation.ResistChange;
import dev.trustledger.events.cooperation.ShareInformation;
import dev.trustledger.events.cooperation.StakeholderEngaged;
import dev.trustledger.events.cooperation.StakeholderLost;
import dev.trustledger.events.cooperation.StallDecision;
import dev.trustledger.events.cooperation.WithholdInformation;
import dev.trustledger.events.engagement.CloseEngagement;
import dev.trustledger.events.engagement.EngagementClosed;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.engagement.EngagementReopened;
import dev.trustledger.events.engagement.OpenEngagement;
import dev.trustledger.events.engagement.ReopenEngagement;
import dev.trustledger.events.outcome.ClientEscalated;
import dev.trustledger.events.outcome.DecideRenewal;
import dev.trustledger.events.outcome.EndEngagement;
import dev.trustledger.events.outcome.EngagementEnded;
import dev.trustledger.events.outcome.EscalateToLeadership;
import dev.trustledger.events.outcome.RenewalDecided;
import dev.trustledger.events.partnership.AgreeProblemStatement;
import dev.trustledger.events.partnership.ProblemStatementAgreed;
import dev.trustledger.events.partnership.StandByPartner;
import dev.trustledger.events.partnership.StoodByPartner;
import dev.trustledger.events.promise.BreakPromise;
import dev.trustledger.events.promise.KeepPromise;
import dev.trustledger.events.promise.MakePromise;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.events.promise.PromiseKept;
import dev.trustledger.events.promise.PromiseMade;
import dev.trustledger.events.responsibility.BlameDeflected;
import dev.trustledger.events.responsibility.ClientSharedBlame;
import dev.trustledger.events.responsibility.DeflectBlame;
import dev.trustledger.events.responsibility.ResponsibilityTaken;
import dev.trustledger.events.responsibility.ShareBlame;
import dev.trustledger.events.responsibility.TakeResponsibility;
import dev.trustledger.events.sponsor.GainSponsor;
import dev.trustledger.events.sponsor.LoseSponsor;
import dev.trustledger.events.sponsor.SponsorGained;
import dev.trustledger.events.sponsor.SponsorLost;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.getVersion;

/**
 * One client engagement and the rules for recording what happens in it.
 * <p>
 * Every incident command carries the caller's incident id, its idempotency key: the same
 * command sent again answers with the sequence number of the event it first produced and
 * stores nothing; the same id with other content is a conflict. Command handlers check
 * the rules, then apply an event; state changes only in the event-sourcing handlers.
 * "Now" comes from the injected {@link Clock}, never from the wall clock. Fields are
 * visible to Jackson so that the aggregate can be snapshotted.
 */
@Aggregate(cache = "engagementCache", snapshotTriggerDefinition = "engagementSnapshotTrigger")
@Revision("2")
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
		isGetterVisibility = Visibility.NONE)
class Engagement {

	/**
	 * How far ahead of "now" an occurred-at may be, to allow for clock skew between
	 * callers.
	 */
	static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

	/** How far after it was made a promise may fall due. */
	static final Duration DUE_HORIZON = Duration.ofDays(3653);

	/**
	 * How much one engagement may hold of events that occurred in one calendar month
	 * (UTC), each weighed by {@link #weight(Object)}: the query service keeps a month of
	 * an engagement's history in one document and its scored points in another, and this
	 * bound keeps both at half of MongoDB's 16 MB document limit or less
	 * (docs/domain.md).
	 */
	static final long MONTH_BUDGET = 8L * 1024 * 1024;

	/** What an event weighs before its text: its ids, times, numbers and field names. */
	static final int EVENT_WEIGHT = 1024;

	/** How many promises one engagement may hold, for the same reason. */
	static final int MAX_PROMISES = 2000;

	@AggregateIdentifier
	private String engagementId;

	private String openingFingerprint;

	private Instant openedAt;

	/**
	 * When the latest event was recorded: the time history brought in by an admin says it
	 * was first recorded, or else the time the store took it in.
	 */
	private Instant lastRecordedAt;

	private boolean closed;

	private String sponsor;

	private Map<String, Incident> incidents = new HashMap<>();

	private Map<String, Promise> promises = new HashMap<>();

	/** The weight of the events per month of occurrence ({@code yyyy-MM}). */
	private Map<String, Long> monthWeights = new HashMap<>();

	/**
	 * The fingerprints of the closings and reopenings recorded, with their sequence
	 * numbers: the same close or reopen sent again answers as the first time.
	 */
	private Map<String, Long> lifecycle = new HashMap<>();

	Engagement() {
		// for Axon
	}

	// Lifecycle

	/**
	 * Opens the engagement, or confirms that exactly this opening was already recorded.
	 * @return the engagement id
	 */
	@CommandHandler
	@CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
	String handle(OpenEngagement command, Clock clock) {
		if (this.engagementId != null) {
			// an opening sent again without its time means the time it was first given
			String fingerprint = CommandFingerprint.of((command.openedAt() != null) ? command
					: new OpenEngagement(command.engagementId(), command.clientName(), command.accountTeam(),
							command.deliveryLead(), command.sponsor(), this.openedAt, command.recordedBy()));
			if (!fingerprint.equals(this.openingFingerprint)) {
				throw new RuleViolation(Kind.CONFLICT, "engagement-exists", "engagementId",
						"Engagement " + command.engagementId() + " is already open with other details.");
			}
			return this.engagementId;
		}
		Instant openedAt = (command.openedAt() != null) ? command.openedAt() : clock.instant();
		requireBusinessTime(openedAt, clock, "openedAt");
		OpenEngagement effective = new OpenEngagement(command.engagementId(), command.clientName(),
				command.accountTeam(), command.deliveryLead(), command.sponsor(), openedAt, command.recordedBy());
		apply(new EngagementOpened(command.engagementId(), command.clientName(), command.accountTeam(),
				command.deliveryLead(), command.sponsor(), openedAt, command.recordedBy()),
				MetaData.with(CommandFingerprint.METADATA_KEY, CommandFingerprint.of(effective)));
		return command.engagementId();
	}

	@CommandHandler
	long handle(CloseEngagement command, Clock clock) {
		Instant occurredAt = (command.occurredAt() != null) ? command.occurredAt() : clock.instant();
		Long earlier = this.lifecycle.get(lifecycleFingerprint("close", occurredAt, command.note()));
		if (earlier != null) {
			return earlier;
		}
		requireOpen();
		requireOccurredDuringEngagement(occurredAt, clock);
		requireRecordedInOrder();
		EngagementClosed closed = new EngagementClosed(this.engagementId, command.note(), occurredAt,
				command.recordedBy());
		requireRoomInMonth(occurredAt, closed);
		apply(closed);
		return getVersion();
	}

	@CommandHandler
	long handle(ReopenEngagement command, Clock clock) {
		Instant occurredAt = (command.occurredAt() != null) ? command.occurredAt() : clock.instant();
		Long earlier = this.lifecycle.get(lifecycleFingerprint("reopen", occurredAt, command.note()));
		if (earlier != null) {
			return earlier;
		}
		if (!this.closed) {
			throw new RuleViolation(Kind.CONFLICT, "engagement-not-closed", "engagementId",
					"Engagement " + this.engagementId + " is open; only a closed engagement can be reopened.");
		}
		requireOccurredDuringEngagement(occurredAt, clock);
		requireRecordedInOrder();
		EngagementReopened reopened = new EngagementReopened(this.engagementId, command.note(), occurredAt,
				command.recordedBy());
		requireRoomInMonth(occurredAt, reopened);
		apply(reopened);
		return getVersion();
	}

	// Promises

	@CommandHandler
	long handle(MakePromise command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock, () -> {
			if (this.promises.containsKey(command.promiseId())) {
				throw new RuleViolation(Kind.CONFLICT, "promise-already-made", "promiseId",
						"Promise " + command.promiseId() + " is already recorded on this engagement.");
			}
			if (this.promises.size() >= MAX_PROMISES) {
				throw new RuleViolation(Kind.UNPROCESSABLE, "too-many-promises", "promiseId", "Engagement "
						+ this.engagementId + " already holds " + MAX_PROMISES + " promises, the most one may hold.");
			}
			requireSeverity(command.severity());
			if (command.dueBy().isBefore(command.occurredAt())) {
				throw new RuleViolation(Kind.UNPROCESSABLE, "due-before-made", "dueBy",
						"dueBy " + command.dueBy() + " is before the promise was made (" + command.occurredAt() + ").");
			}
			if (command.dueBy().isAfter(command.occurredAt().plus(DUE_HORIZON))) {
				throw new RuleViolation(Kind.UNPROCESSABLE, "due-beyond-horizon", "dueBy", "dueBy " + command.dueBy()
						+ " is more than " + DUE_HORIZON.toDays() + " days after the promise was made.");
			}
			return new PromiseMade(this.engagementId, command.incidentId(), command.promiseId(), command.party(),
					command.severity(), command.description(), command.dueBy(), command.occurredAt(),
					command.recordedBy());
		});
	}

	@CommandHandler
	long handle(KeepPromise command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock, () -> {
			Promise promise = requireUnresolvedPromise(command.promiseId());
			return new PromiseKept(this.engagementId, command.incidentId(), command.promiseId(), promise.party(),
					promise.severity(), command.note(), command.occurredAt(), command.recordedBy());
		});
	}

	@CommandHandler
	long handle(BreakPromise command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock, () -> {
			Party party = command.party();
			Integer severity = command.severity();
			if (command.promiseId() != null) {
				Promise promise = requireUnresolvedPromise(command.promiseId());
				if (party != null && party != promise.party()) {
					throw new RuleViolation(Kind.UNPROCESSABLE, "party-mismatch", "party", "Promise "
							+ command.promiseId() + " was made by the " + promise.party() + ", not the " + party + ".");
				}
				party = promise.party();
				severity = (severity != null) ? severity : promise.severity();
			}
			if (party == null) {
				throw new RuleViolation(Kind.UNPROCESSABLE, "party-required", "party",
						"A broken commitment that was never recorded as a promise needs the party that broke it.");
			}
			return new PromiseBroken(this.engagementId, command.incidentId(), command.promiseId(), party,
					requireSeverity(severity), command.description(), command.occurredAt(), command.recordedBy());
		});
	}

	// Responsibility

	@CommandHandler
	long handle(TakeResponsibility command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock,
				() -> new ResponsibilityTaken(this.engagementId, command.incidentId(), command.party(),
						requireKnownIncidentOrNull(command.incidentRef()),
						severityOf(command.severity(), command.incidentRef()), command.description(),
						command.occurredAt(), command.recordedBy()));
	}

	@CommandHandler
	long handle(ShareBlame command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock, () -> {
			if (command.incidentRef() == null) {
				throw new RuleViolation(Kind.UNPROCESSABLE, "incident-ref-required", "incidentRef",
						"Sharing the blame names the incident it is shared for.");
			}
			return new ClientSharedBlame(this.engagementId, command.incidentId(),
					requireKnownIncidentOrNull(command.incidentRef()),
					severityOf(command.severity(), command.incidentRef()), command.description(), command.occurredAt(),
					command.recordedBy());
		});
	}

	@CommandHandler
	long handle(DeflectBlame command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock,
				() -> new BlameDeflected(this.engagementId, command.incidentId(), command.party(),
						requireKnownIncidentOrNull(command.incidentRef()),
						severityOf(command.severity(), command.incidentRef()), command.description(),
						command.occurredAt(), command.recordedBy()));
	}

	// Sponsorship

	@CommandHandler
	long handle(LoseSponsor command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock, () -> {
			if (this.sponsor == null) {
				throw new RuleViolation(Kind.CONFLICT, "no-sponsor", "sponsor",
						"Engagement " + this.engagementId + " has no sponsor to lose.");
			}
			if (command.sponsor() != null && !command.sponsor().equals(this.sponsor)) {
				throw new RuleViolation(Kind.UNPROCESSABLE, "sponsor-mismatch", "sponsor", "The sponsor of engagement "
						+ this.engagementId + " is " + this.sponsor + ", not " + command.sponsor() + ".");
			}
			return new SponsorLost(this.engagementId, command.incidentId(), this.sponsor,
					requireSeverity(command.severity()), command.reason(), command.occurredAt(), command.recordedBy());
		});
	}

	@CommandHandler
	long handle(GainSponsor command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock, () -> {
			if (this.sponsor != null) {
				throw new RuleViolation(Kind.CONFLICT, "sponsor-present", "sponsor", "Engagement " + this.engagementId
						+ " is sponsored by " + this.sponsor + "; record that sponsor's loss first.");
			}
			return new SponsorGained(this.engagementId, command.incidentId(), command.sponsor(), command.note(),
					command.occurredAt(), command.recordedBy());
		});
	}

	// Partnership

	@CommandHandler
	long handle(StandByPartner command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock,
				() -> new StoodByPartner(this.engagementId, command.incidentId(), command.party(),
						requireSeverity(command.severity()), command.description(), command.occurredAt(),
						command.recordedBy()));
	}

	@CommandHandler
	long handle(AgreeProblemStatement command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock,
				() -> new ProblemStatementAgreed(this.engagementId, command.incidentId(),
						requireKnownIncidentOrNull(command.incidentRef()), requireSeverity(command.severity()),
						command.description(), command.occurredAt(), command.recordedBy()));
	}

	// Outcomes: what finally happens to the relationship, recorded like any incident

	@CommandHandler
	long handle(DecideRenewal command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock,
				() -> new RenewalDecided(this.engagementId, command.incidentId(), command.decision(), command.note(),
						command.occurredAt(), command.recordedBy()));
	}

	@CommandHandler
	long handle(EscalateToLeadership command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock,
				() -> new ClientEscalated(this.engagementId, command.incidentId(), requireSeverity(command.severity()),
						command.description(), command.occurredAt(), command.recordedBy()));
	}

	/** Ends the engagement, and closes it: later incidents wait for a reopening. */
	@CommandHandler
	long handle(EndEngagement command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock,
				() -> new EngagementEnded(this.engagementId, command.incidentId(), command.ending(), command.note(),
						command.occurredAt(), command.recordedBy()));
	}

	// Cooperation: whether the client side takes part in the work

	@CommandHandler
	long handle(WithholdInformation command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock,
				() -> new InformationWithheld(this.engagementId, command.incidentId(), command.party(),
						requireSeverity(command.severity()), command.description(), command.occurredAt(),
						command.recordedBy()));
	}

	@CommandHandler
	long handle(ShareInformation command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock,
				() -> new InformationShared(this.engagementId, command.incidentId(), command.party(),
						requireKnownIncidentOrNull(command.incidentRef()), command.description(), command.occurredAt(),
						command.recordedBy()));
	}

	@CommandHandler
	long handle(StallDecision command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock,
				() -> new DecisionStalled(this.engagementId, command.incidentId(), requireSeverity(command.severity()),
						command.description(), command.occurredAt(), command.recordedBy()));
	}

	@CommandHandler
	long handle(MakeDecision command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock,
				() -> new DecisionMade(this.engagementId, command.incidentId(),
						requireKnownIncidentOrNull(command.incidentRef()), command.description(), command.occurredAt(),
						command.recordedBy()));
	}

	@CommandHandler
	long handle(ResistChange command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock,
				() -> new ChangeResisted(this.engagementId, command.incidentId(), command.party(),
						requireSeverity(command.severity()), command.description(), command.occurredAt(),
						command.recordedBy()));
	}

	@CommandHandler
	long handle(EngageStakeholder command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock,
				() -> new StakeholderEngaged(this.engagementId, command.incidentId(), command.person(),
						command.description(), command.occurredAt(), command.recordedBy()));
	}

	@CommandHandler
	long handle(LoseStakeholder command, Clock clock) {
		return record(command, command.incidentId(), command.occurredAt(), clock,
				() -> new StakeholderLost(this.engagementId, command.incidentId(), command.person(),
						requireSeverity(command.severity()), command.description(), command.occurredAt(),
						command.recordedBy()));
	}

	// Event sourcing: Axon calls the most specific handler, so each one that changes more
	// than the incident record calls remember(...) itself.

	@EventSourcingHandler
	void on(EngagementOpened event, @Timestamp Instant storedAt,
			@MetaDataValue(value = EngagementCommands.RECORDED_AT, required = false) String recordedAt,
			@MetaDataValue(value = CommandFingerprint.METADATA_KEY, required = false) String fingerprint) {
		recorded(storedAt, recordedAt);
		count(event.openedAt(), event);
		this.engagementId = event.engagementId();
		this.openedAt = event.openedAt();
		this.sponsor = event.sponsor();
		this.openingFingerprint = fingerprint;
	}

	@EventSourcingHandler
	void on(EngagementClosed event, @Timestamp Instant storedAt,
			@MetaDataValue(value = EngagementCommands.RECORDED_AT, required = false) String recordedAt,
			@SequenceNumber long sequence) {
		recorded(storedAt, recordedAt);
		count(event.occurredAt(), event);
		this.lifecycle.put(lifecycleFingerprint("close", event.occurredAt(), event.note()), sequence);
		this.closed = true;
	}

	@EventSourcingHandler
	void on(EngagementReopened event, @Timestamp Instant storedAt,
			@MetaDataValue(value = EngagementCommands.RECORDED_AT, required = false) String recordedAt,
			@SequenceNumber long sequence) {
		recorded(storedAt, recordedAt);
		count(event.occurredAt(), event);
		this.lifecycle.put(lifecycleFingerprint("reopen", event.occurredAt(), event.note()), sequence);
		this.closed = false;
	}

	@EventSourcingHandler
	void on(PromiseMade event, @Timestamp Instant storedAt,
			@MetaDataValue(value = EngagementCommands.RECORDED_AT, required = false) String recordedAt,
			@SequenceNumber long sequence,
			@MetaDataValue(value = CommandFingerprint.METADATA_KEY, required = false) String fingerprint) {
		recorded(storedAt, recordedAt);
		remember(event, sequence, fingerprint);
		this.promises.put(event.promiseId(), new Promise(event.party(), event.severity(), PromiseState.OPEN));
	}

	@EventSourcingHandler
	void on(PromiseKept event, @Timestamp Instant storedAt,
			@MetaDataValue(value = EngagementCommands.RECORDED_AT, required = false) String recordedAt,
			@SequenceNumber long sequence,
			@MetaDataValue(value = CommandFingerprint.METADATA_KEY, required = false) String fingerprint) {
		recorded(storedAt, recordedAt);
		remember(event, sequence, fingerprint);
		this.promises.computeIfPresent(event.promiseId(), (id, promise) -> promise.resolved(PromiseState.KEPT));
	}

	@EventSourcingHandler
	void on(PromiseBroken event, @Timestamp Instant storedAt,
			@MetaDataValue(value = EngagementCommands.RECORDED_AT, required = false) String recordedAt,
			@SequenceNumber long sequence,
			@MetaDataValue(value = CommandFingerprint.METADATA_KEY, required = false) String fingerprint) {
		recorded(storedAt, recordedAt);
		remember(event, sequence, fingerprint);
		if (event.promiseId() != null) {
			this.promises.computeIfPresent(event.promiseId(), (id, promise) -> promise.resolved(PromiseState.BROKEN));
		}
	}

	@EventSourcingHandler
	void on(SponsorLost event, @Timestamp Instant storedAt,
			@MetaDataValue(value = EngagementCommands.RECORDED_AT, required = false) String recordedAt,
			@SequenceNumber long sequence,
			@MetaDataValue(value = CommandFingerprint.METADATA_KEY, required = false) String fingerprint) {
		recorded(storedAt, recordedAt);
		remember(event, sequence, fingerprint);
		this.sponsor = null;
	}

	@EventSourcingHandler
	void on(SponsorGained event, @Timestamp Instant storedAt,
			@MetaDataValue(value = EngagementCommands.RECORDED_AT, required = false) String recordedAt,
			@SequenceNumber long sequence,
			@MetaDataValue(value = CommandFingerprint.METADATA_KEY, required = false) String fingerprint) {
		recorded(storedAt, recordedAt);
		remember(event, sequence, fingerprint);
		this.sponsor = event.sponsor();
	}

	@EventSourcingHandler
	void on(EngagementEnded event, @Timestamp Instant storedAt,
			@MetaDataValue(value = EngagementCommands.RECORDED_AT, required = false) String recordedAt,
			@SequenceNumber long sequence,
			@MetaDataValue(value = CommandFingerprint.METADATA_KEY, required = false) String fingerprint) {
		recorded(storedAt, recordedAt);
		remember(event, sequence, fingerprint);
		this.closed = true;
	}

	/**
	 * Responsibility, partnership and the other outcome incidents change nothing but the
	 * incident record.
	 */
	@EventSourcingHandler
	void on(IncidentEvent event, @Timestamp Instant storedAt,
			@MetaDataValue(value = EngagementCommands.RECORDED_AT, required = false) String recordedAt,
			@SequenceNumber long sequence,
			@MetaDataValue(value = CommandFingerprint.METADATA_KEY, required = false) String fingerprint) {
		recorded(storedAt, recordedAt);
		remember(event, sequence, fingerprint);
	}

	/**
	 * Every incident is remembered, for idempotency and so that later incidents can refer
	 * to it.
	 */
	private void remember(IncidentEvent event, long sequence, String fingerprint) {
		count(event.occurredAt(), event);
		Integer severity = (event instanceof SeverityRated rated) ? rated.severity() : null;
		this.incidents.put(event.incidentId(), new Incident(fingerprint, sequence, severity));
	}

	// Rules

	/**
	 * Records one incident: a repeat of an already recorded command answers with its
	 * original sequence number; otherwise the engagement must be open and the incident
	 * must have occurred during it, then the command's own rules build the event.
	 */
	private long record(Record command, String incidentId, Instant occurredAt, Clock clock,
			Supplier<IncidentEvent> rules) {
		String fingerprint = CommandFingerprint.of(command);
		Incident earlier = this.incidents.get(incidentId);
		if (earlier != null) {
			if (!fingerprint.equals(earlier.fingerprint())) {
				throw new RuleViolation(Kind.CONFLICT, "incident-id-reused", "incidentId", "Incident " + incidentId
						+ " is already recorded on engagement " + this.engagementId + " with other content.");
			}
			return earlier.sequence();
		}
		requireOpen();
		requireOccurredDuringEngagement(occurredAt, clock);
		requireRecordedInOrder();
		IncidentEvent event = rules.get();
		requireRoomInMonth(occurredAt, event);
		apply(event, MetaData.with(CommandFingerprint.METADATA_KEY, fingerprint));
		return getVersion();
	}

	private void requireOpen() {
		if (this.closed) {
			throw new RuleViolation(Kind.CONFLICT, "engagement-closed", "engagementId",
					"Engagement " + this.engagementId + " is closed; reopen it to record incidents.");
		}
	}

	private void requireOccurredDuringEngagement(Instant occurredAt, Clock clock) {
		if (occurredAt.isBefore(this.openedAt)) {
			throw new RuleViolation(Kind.UNPROCESSABLE, "occurred-before-opening", "occurredAt",
					"occurredAt " + occurredAt + " is before the engagement opened (" + this.openedAt + ").");
		}
		requireBusinessTime(occurredAt, clock, "occurredAt");
	}

	private void requireRoomInMonth(Instant occurredAt, Object event) {
		String month = month(occurredAt);
		if (this.monthWeights.getOrDefault(month, 0L) + weight(event) > MONTH_BUDGET) {
			throw new RuleViolation(Kind.UNPROCESSABLE, "month-full", "occurredAt",
					"Engagement " + this.engagementId + " holds as much as one month may of events that occurred in "
							+ month + " (" + MONTH_BUDGET / 1024 / 1024 + " MiB, about " + MONTH_BUDGET / EVENT_WEIGHT
							+ " events without notes).");
		}
	}

	private void recorded(Instant storedAt, String recordedAt) {
		this.lastRecordedAt = EngagementCommands.recordedAt(recordedAt, storedAt);
	}

	/**
	 * History brought in with the times it was first recorded is recorded in that order:
	 * nothing may say it was recorded before what the engagement already holds, or "as
	 * known then" would show states the rules never allowed (a promise kept before it was
	 * made). Only a command that says when it was recorded is checked; one recorded now
	 * is in order by definition.
	 */
	private void requireRecordedInOrder() {
		Object given = CurrentUnitOfWork.isStarted()
				? CurrentUnitOfWork.get().getMessage().getMetaData().get(EngagementCommands.RECORDED_AT) : null;
		Instant recordedAt = EngagementCommands.recordedAt(given, null);
		if (recordedAt == null || this.lastRecordedAt == null) {
			return;
		}
		if (recordedAt.isBefore(this.lastRecordedAt)) {
			throw new RuleViolation(Kind.CONFLICT, "recorded-out-of-order", "recordedAt",
					"recordedAt " + recordedAt + " is before the latest event of engagement " + this.engagementId
							+ " was recorded (" + this.lastRecordedAt + "); history is recorded in order.");
		}
	}

	private void count(Instant occurredAt, Object event) {
		this.monthWeights.merge(month(occurredAt), weight(event), Long::sum);
	}

	/**
	 * What an event weighs in the query service's documents, as an upper bound: a fixed
	 * part, plus three bytes for every character of its text (UTF-8 needs at most three
	 * bytes for one UTF-16 character).
	 */
	static long weight(Object event) {
		long weight = EVENT_WEIGHT;
		for (RecordComponent component : event.getClass().getRecordComponents()) {
			if (component.getType() == String.class) {
				try {
					Object text = component.getAccessor().invoke(event);
					weight += (text != null) ? 3L * ((String) text).length() : 0;
				}
				catch (ReflectiveOperationException ex) {
					throw new IllegalStateException("Cannot read " + component, ex);
				}
			}
		}
		return weight;
	}

	private static String month(Instant instant) {
		return YearMonth.from(instant.atOffset(ZoneOffset.UTC)).toString();
	}

	/** What makes two closings (or two reopenings) the same: when, and what was said. */
	private static String lifecycleFingerprint(String kind, Instant occurredAt, String note) {
		return kind + "|" + occurredAt + "|" + note;
	}

	/**
	 * From 1970 on (the API refuses earlier times already; this holds for any caller) and
	 * at most {@link #FUTURE_TOLERANCE} ahead of now.
	 */
	private static void requireBusinessTime(Instant instant, Clock clock, String field) {
		if (instant.isBefore(Instant.EPOCH)) {
			throw new RuleViolation(Kind.UNPROCESSABLE, "before-1970", field,
					field + " " + instant + " is before 1970-01-01T00:00:00Z.");
		}
		Instant latest = clock.instant().plus(FUTURE_TOLERANCE);
		if (instant.isAfter(latest)) {
			throw new RuleViolation(Kind.UNPROCESSABLE, "occurred-in-future", field, field + " " + instant
					+ " is more than " + FUTURE_TOLERANCE.toMinutes() + " minutes in the future.");
		}
	}

	private static int requireSeverity(Integer severity) {
		if (severity == null) {
			throw new RuleViolation(Kind.UNPROCESSABLE, "severity-required", "severity",
					"severity is required here: there is no earlier incident to take it from.");
		}
		if (severity < 1 || severity > 5) {
			throw new RuleViolation(Kind.UNPROCESSABLE, "severity-out-of-range", "severity",
					"severity must be from 1 to 5, not " + severity + ".");
		}
		return severity;
	}

	private Promise requireUnresolvedPromise(String promiseId) {
		Promise promise = this.promises.get(promiseId);
		if (promise == null) {
			throw new RuleViolation(Kind.UNPROCESSABLE, "unknown-promise", "promiseId",
					"No promise " + promiseId + " was made on engagement " + this.engagementId + ".");
		}
		if (promise.state() != PromiseState.OPEN) {
			throw new RuleViolation(Kind.CONFLICT, "promise-already-resolved", "promiseId",
					"Promise " + promiseId + " was already " + promise.state().name().toLowerCase() + ".");
		}
		return promise;
	}

	private String requireKnownIncidentOrNull(String incidentRef) {
		if (incidentRef != null && !this.incidents.containsKey(incidentRef)) {
			throw new RuleViolation(Kind.UNPROCESSABLE, "unknown-incident-ref", "incidentRef",
					"No incident " + incidentRef + " is recorded on engagement " + this.engagementId + ".");
		}
		return incidentRef;
	}

	/** The given severity, else the referenced incident's. */
	private int severityOf(Integer severity, String incidentRef) {
		if (severity == null && incidentRef != null && this.incidents.containsKey(incidentRef)) {
			return requireSeverity(this.incidents.get(incidentRef).severity());
		}
		return requireSeverity(severity);
	}

	/**
	 * A recorded incident: what it said, where it stands in the history, how severe it
	 * was.
	 */
	record Incident(String fingerprint, long sequence, Integer severity) {
	}

	/** A promise made on this engagement and whether it was kept or broken yet. */
	record Promise(Party party, int severity, PromiseState state) {

		Promise resolved(PromiseState resolution) {
			return new Promise(this.party, this.severity, resolution);
		}

	}

	enum PromiseState {

		OPEN, KEPT, BROKEN

	}

}
