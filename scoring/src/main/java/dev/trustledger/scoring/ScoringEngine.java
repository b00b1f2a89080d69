package dev.trustledger.scoring;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.Party;
import dev.trustledger.events.SeverityRated;
import dev.trustledger.events.cooperation.ChangeResisted;
import dev.trustledger.events.cooperation.DecisionMade;
import dev.trustledger.events.cooperation.DecisionStalled;
import dev.trustledger.events.cooperation.InformationShared;
import dev.trustledger.events.cooperation.InformationWithheld;
import dev.trustledger.events.cooperation.StakeholderEngaged;
import dev.trustledger.events.cooperation.StakeholderLost;
import dev.trustledger.events.partnership.ProblemStatementAgreed;
import dev.trustledger.events.partnership.StoodByPartner;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.events.promise.PromiseKept;
import dev.trustledger.events.responsibility.BlameDeflected;
import dev.trustledger.events.responsibility.ClientSharedBlame;
import dev.trustledger.events.responsibility.ResponsibilityTaken;
import dev.trustledger.events.sponsor.SponsorGained;
import dev.trustledger.events.sponsor.SponsorLost;

/**
 * Folds an engagement's events, in the order they occurred, into a timeline of scores.
 * Pure and deterministic: the same events give the same points to the last digit on any
 * machine ({@link StrictMath}, fixed rounding, no clock, no randomness). docs/scoring.md
 * describes the model.
 */
public final class ScoringEngine {

	/** Occurred-at first; the recorded sequence breaks ties. */
	public static final Comparator<ScorableEvent> OCCURRENCE_ORDER = Comparator
		.comparing((ScorableEvent scorable) -> scorable.event().occurredAt())
		.thenComparingLong(ScorableEvent::sequence);

	private static final double SECONDS_PER_DAY = 86_400.0;

	private final ScoringModel model;

	public ScoringEngine(ScoringModel model) {
		this.model = model;
	}

	public ScoringModel model() {
		return this.model;
	}

	/** The timeline of one engagement: one point per event, in occurrence order. */
	public List<ScorePoint> score(List<ScorableEvent> events) {
		State state = new State(this.model);
		List<ScorePoint> points = new ArrayList<>(events.size());
		Scores[] previous = { state.scores() };
		fold(events, null, state, (scorable, current) -> {
			points.add(point(scorable, previous[0], current));
			previous[0] = current;
		});
		return points;
	}

	/**
	 * An empty timeline to which events are added one at a time, in the order they were
	 * recorded: the way a projection sees them.
	 */
	public Timeline timeline() {
		return new Timeline();
	}

	/** A timeline that already holds {@code events}, folded once. */
	public Timeline timeline(List<ScorableEvent> events) {
		Timeline timeline = new Timeline();
		timeline.refold(events);
		return timeline;
	}

	/**
	 * The scores at a later instant with no new event: evidence keeps fading towards
	 * neutral.
	 */
	public Scores scoresAt(List<ScorableEvent> events, Instant at) {
		State state = new State(this.model);
		fold(events, at, state, (scorable, scores) -> {
		});
		state.decayTo(at);
		return state.scores();
	}

	/**
	 * The scores at instant {@code at} from the fold's state right after the last event
	 * that occurred by then ({@code null} when none had): exactly what
	 * {@link #scoresAt(List, Instant)} gives for the same events, without folding them.
	 */
	public Scores scoresAt(Checkpoint after, Instant at) {
		State state = (after != null) ? new State(this.model, after) : new State(this.model);
		state.decayTo(at);
		return state.scores();
	}

	/**
	 * The fold's state right after one event: enough to compute the scores at any later
	 * instant before the next event ({@link #scoresAt(Checkpoint, Instant)}). A
	 * projection keeps one per point so that "as of a date" is one lookup rather than a
	 * fold of the history. Every value is kept exactly: a double written in its shortest
	 * decimal form reads back as the same double.
	 *
	 * @param masses the positive and negative evidence of credibility, reliability,
	 * intimacy, self-orientation, vendor ownership and client ownership, in that order
	 * (twelve values)
	 * @param scarCeiling the ceiling reliability was held at by the last broken promise
	 * @param scarredAt when that promise was broken, {@code null} if none was
	 * @param now when the event occurred: the fold's clock
	 * @param sponsorless whether the client had no sponsor
	 */
	public record Checkpoint(double[] masses, double scarCeiling, Instant scarredAt, Instant now, boolean sponsorless) {

		public Checkpoint {
			if (masses.length != 12) {
				throw new IllegalArgumentException("A checkpoint holds 12 evidence masses, not " + masses.length);
			}
			masses = masses.clone();
		}

		@Override
		public double[] masses() {
			return this.masses.clone();
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Checkpoint that && java.util.Arrays.equals(this.masses, that.masses)
					&& Double.compare(this.scarCeiling, that.scarCeiling) == 0
					&& java.util.Objects.equals(this.scarredAt, that.scarredAt)
					&& java.util.Objects.equals(this.now, that.now) && this.sponsorless == that.sponsorless;
		}

		@Override
		public int hashCode() {
			return java.util.Objects.hash(java.util.Arrays.hashCode(this.masses), this.scarCeiling, this.scarredAt,
					this.now, this.sponsorless);
		}

		@Override
		public String toString() {
			return "Checkpoint" + java.util.Arrays.toString(this.masses) + " scar " + this.scarCeiling + "@"
					+ this.scarredAt + " at " + this.now + (this.sponsorless ? " sponsorless" : "");
		}

	}

	/**
	 * Applies the events that occurred by {@code until}, in occurrence order, reporting
	 * the scores after each.
	 */
	private void fold(List<ScorableEvent> events, Instant until, State state,
			java.util.function.BiConsumer<ScorableEvent, Scores> after) {
		List<ScorableEvent> ordered = new ArrayList<>(events);
		ordered.sort(OCCURRENCE_ORDER);
		for (ScorableEvent scorable : ordered) {
			Instant at = scorable.event().occurredAt();
			if (until != null && at.isAfter(until)) {
				break;
			}
			state.decayTo(at);
			state.apply(scorable.event());
			after.accept(scorable, state.scores());
		}
	}

	/**
	 * Each event class's simple name, worked out once: the JDK keeps it only as long as
	 * memory is not short.
	 */
	private static final ClassValue<String> EVENT_TYPES = new ClassValue<>() {
		@Override
		protected String computeValue(Class<?> type) {
			return type.getSimpleName();
		}
	};

	private ScorePoint point(ScorableEvent scorable, Scores previous, Scores current) {
		long trustChange = current.trust() - previous.trust();
		long[] trustShares = Attribution.shares(this::trust, previous.trustInputs(), current.trustInputs(),
				trustChange);
		long mutualChange = current.mutual() - previous.mutual();
		long[] mutualShares = Attribution.shares(ScoringEngine::mutual, previous.mutualInputs(), current.mutualInputs(),
				mutualChange);
		EngagementEvent event = scorable.event();
		return new ScorePoint(scorable.sequence(), scorable.eventId(), EVENT_TYPES.get(event.getClass()),
				event.occurredAt(), centi(current.trust()), current.components(), current.band(),
				centi(current.mutual()), centi(current.vendor()), centi(current.client()),
				new ScorePoint.Explanation(centi(trustChange),
						new ScorePoint.Components(centi(trustShares[0]), centi(trustShares[1]), centi(trustShares[2]),
								centi(trustShares[3])),
						centi(mutualChange), new ScorePoint.Sides(centi(mutualShares[0]), centi(mutualShares[1]))),
				this.model.version());
	}

	/**
	 * The timeline of one engagement, built event by event. An event that occurred after
	 * every other is appended from the running state, in constant time; a backdated one
	 * is inserted in place and the timeline folded again. Either way the points equal
	 * {@link #score(List)} of the same events: only the cost differs.
	 */
	public final class Timeline {

		/** A copy of the running state is kept every this many events. */
		private static final int CHECKPOINT_EVERY = 32;

		private final List<ScorableEvent> events = new ArrayList<>();

		private final List<ScorePoint> points = new ArrayList<>();

		/** The state before event {@code i * CHECKPOINT_EVERY}, for each i. */
		private final List<State> checkpoints = new ArrayList<>();

		/** The state after each point, as a projection keeps it. */
		private final List<Checkpoint> after = new ArrayList<>();

		private State state = new State(ScoringEngine.this.model);

		private Scores last = this.state.scores();

		private Timeline() {
		}

		/**
		 * Adds one event.
		 * @return the index of the first point that changed: earlier points stay as they
		 * were
		 */
		public int add(ScorableEvent scorable) {
			int size = this.events.size();
			if (size == 0 || OCCURRENCE_ORDER.compare(scorable, this.events.get(size - 1)) > 0) {
				this.events.add(scorable);
				append(scorable);
				return size;
			}
			int at = java.util.Collections.binarySearch(this.events, scorable, OCCURRENCE_ORDER);
			int index = (at >= 0) ? at : -at - 1;
			this.events.add(index, scorable);
			// fold again from the last checkpoint before the event, not from the start
			int checkpoint = index / CHECKPOINT_EVERY;
			int from = checkpoint * CHECKPOINT_EVERY;
			this.state = this.checkpoints.get(checkpoint).copy();
			this.last = this.state.scores();
			this.checkpoints.subList(checkpoint, this.checkpoints.size()).clear();
			this.points.subList(from, this.points.size()).clear();
			this.after.subList(from, this.after.size()).clear();
			for (int i = from; i < this.events.size(); i++) {
				append(this.events.get(i));
			}
			return index;
		}

		/** Applies the event at index {@code points.size()}. */
		private void append(ScorableEvent scorable) {
			if (this.points.size() % CHECKPOINT_EVERY == 0) {
				this.checkpoints.add(this.state.copy());
			}
			this.state.decayTo(scorable.event().occurredAt());
			this.state.apply(scorable.event());
			Scores current = this.state.scores();
			this.points.add(point(scorable, this.last, current));
			this.after.add(this.state.checkpoint());
			this.last = current;
		}

		private void refold(List<ScorableEvent> all) {
			this.events.clear();
			this.events.addAll(all);
			this.events.sort(OCCURRENCE_ORDER);
			this.state = new State(ScoringEngine.this.model);
			this.last = this.state.scores();
			this.points.clear();
			this.after.clear();
			this.checkpoints.clear();
			for (ScorableEvent scorable : this.events) {
				append(scorable);
			}
		}

		/**
		 * The fold's state right after each point, in the same order: what the scores at
		 * a later instant are computed from
		 * ({@link ScoringEngine#scoresAt(Checkpoint, Instant)}).
		 */
		public List<Checkpoint> checkpoints() {
			return java.util.Collections.unmodifiableList(this.after);
		}

		/** The points so far, in occurrence order. */
		public List<ScorePoint> points() {
			return java.util.Collections.unmodifiableList(this.points);
		}

	}

	/**
	 * The Trust Equation, T = (C + R + I) / S, kept on a 0-100 scale: the three positive
	 * components are averaged, and self-orientation scales the result by (1 - S) relative
	 * to its neutral value, so that neutral components give 50 and S near zero cannot
	 * blow the score up as a division would.
	 */
	double trust(double[] inputs) {
		double neutralSelf = this.model.priors().selfOrientation().mean();
		double raw = (inputs[0] + inputs[1] + inputs[2]) / 3.0 * (1.0 - inputs[3]) / (1.0 - neutralSelf);
		return 100.0 * StrictMath.min(1.0, StrictMath.max(0.0, raw));
	}

	/** Geometric mean of both sides' ownership: high only when both carry their end. */
	static double mutual(double[] inputs) {
		return 100.0 * StrictMath.sqrt(inputs[0] * inputs[1]);
	}

	/**
	 * Every value from -100.00 to 100.00, made once: scores, components and their changes
	 * all fall in it, and a rebuild holds hundreds of thousands of points of a dozen
	 * values each. A {@link BigDecimal} cannot change, so one instance serves them all.
	 */
	private static final BigDecimal[] CENTIS = java.util.stream.LongStream.rangeClosed(-100_00, 100_00)
		.mapToObj((hundredths) -> BigDecimal.valueOf(hundredths, 2))
		.toArray(BigDecimal[]::new);

	static BigDecimal centi(long hundredths) {
		return (hundredths >= -100_00 && hundredths <= 100_00) ? CENTIS[(int) hundredths + 100_00]
				: BigDecimal.valueOf(hundredths, 2);
	}

	static long hundredths(double points) {
		return StrictMath.round(points * 100.0);
	}

	/**
	 * Scores at one instant: rounded scores in hundredths of a point, and the raw inputs
	 * they were computed from.
	 */
	public record Scores(long trust, long mutual, long vendor, long client, double[] trustInputs, double[] mutualInputs,
			ScorePoint.Components components, Band band, boolean sponsorless) {

		public BigDecimal trustPoints() {
			return centi(this.trust);
		}

		public BigDecimal mutualPoints() {
			return centi(this.mutual);
		}

	}

	/** The running state of the fold. */
	private final class State {

		private final ScoringModel model;

		private final Evidence credibility;

		private final Evidence reliability;

		private final Evidence intimacy;

		private final Evidence selfOrientation;

		private final Evidence vendorOwnership;

		private final Evidence clientOwnership;

		private boolean sponsorless;

		/**
		 * Reliability may not climb above this while the scar of a broken promise lasts.
		 */
		private double scarCeiling = 1.0;

		private Instant scarredAt;

		private Instant now;

		State(ScoringModel model) {
			this.model = model;
			this.credibility = new Evidence(model.priors().credibility());
			this.reliability = new Evidence(model.priors().reliability());
			this.intimacy = new Evidence(model.priors().intimacy());
			this.selfOrientation = new Evidence(model.priors().selfOrientation());
			this.vendorOwnership = new Evidence(model.priors().vendorOwnership());
			this.clientOwnership = new Evidence(model.priors().clientOwnership());
		}

		State(ScoringModel model, Checkpoint checkpoint) {
			this.model = model;
			double[] masses = checkpoint.masses();
			this.credibility = new Evidence(model.priors().credibility(), masses[0], masses[1]);
			this.reliability = new Evidence(model.priors().reliability(), masses[2], masses[3]);
			this.intimacy = new Evidence(model.priors().intimacy(), masses[4], masses[5]);
			this.selfOrientation = new Evidence(model.priors().selfOrientation(), masses[6], masses[7]);
			this.vendorOwnership = new Evidence(model.priors().vendorOwnership(), masses[8], masses[9]);
			this.clientOwnership = new Evidence(model.priors().clientOwnership(), masses[10], masses[11]);
			this.sponsorless = checkpoint.sponsorless();
			this.scarCeiling = checkpoint.scarCeiling();
			this.scarredAt = checkpoint.scarredAt();
			this.now = checkpoint.now();
		}

		Checkpoint checkpoint() {
			double[] masses = new double[12];
			int i = 0;
			for (Evidence evidence : List.of(this.credibility, this.reliability, this.intimacy, this.selfOrientation,
					this.vendorOwnership, this.clientOwnership)) {
				masses[i++] = evidence.positiveMass();
				masses[i++] = evidence.negativeMass();
			}
			return new Checkpoint(masses, this.scarCeiling, this.scarredAt, this.now, this.sponsorless);
		}

		private State(State other) {
			this.model = other.model;
			this.credibility = other.credibility.copy();
			this.reliability = other.reliability.copy();
			this.intimacy = other.intimacy.copy();
			this.selfOrientation = other.selfOrientation.copy();
			this.vendorOwnership = other.vendorOwnership.copy();
			this.clientOwnership = other.clientOwnership.copy();
			this.sponsorless = other.sponsorless;
			this.scarCeiling = other.scarCeiling;
			this.scarredAt = other.scarredAt;
			this.now = other.now;
		}

		State copy() {
			return new State(this);
		}

		void decayTo(Instant at) {
			if (this.now != null && at.isAfter(this.now)) {
				double factor = halving(Duration.between(this.now, at), this.model.halfLifeDays());
				for (Evidence evidence : List.of(this.credibility, this.reliability, this.intimacy,
						this.selfOrientation, this.vendorOwnership, this.clientOwnership)) {
					evidence.decay(factor);
				}
			}
			if (this.now == null || at.isAfter(this.now)) {
				this.now = at;
			}
		}

		void apply(EngagementEvent event) {
			double w = (event instanceof SeverityRated rated) ? rated.severity() / this.model.referenceSeverity() : 1.0;
			double loss = w * this.model.lossAsymmetry();
			ScoringModel.Weights weights = this.model.weights();
			if (event instanceof PromiseKept kept) {
				this.reliability.positive(w);
				if (kept.party() == Party.CLIENT) {
					this.clientOwnership.positive(w);
				}
				else if (weights.vendorPromiseKeptOwnership() != 0) {
					this.vendorOwnership.positive(w * weights.vendorPromiseKeptOwnership());
				}
			}
			else if (event instanceof PromiseBroken broken) {
				this.scarCeiling = StrictMath.min(reliabilityCeiling(), this.reliability.mean());
				this.scarredAt = this.now;
				this.reliability.negative(loss);
				if (broken.party() == Party.CLIENT) {
					this.clientOwnership.negative(w * weights.clientPromiseBrokenOwnership());
				}
			}
			else if (event instanceof ResponsibilityTaken taken) {
				this.credibility.positive(w);
				this.selfOrientation.negative(w);
				owner(taken.party()).positive(w);
			}
			else if (event instanceof ClientSharedBlame) {
				this.credibility.positive(w);
				this.selfOrientation.negative(w);
				this.clientOwnership.positive(w);
			}
			else if (event instanceof BlameDeflected deflected) {
				this.credibility.negative(loss);
				this.selfOrientation.positive(loss);
				owner(deflected.party()).negative(w * weights.deflectionOwnership());
			}
			else if (event instanceof StoodByPartner stood) {
				this.intimacy.positive(w);
				this.selfOrientation.negative(w);
				owner(stood.party()).positive(w * weights.stoodByPartnerOwnership());
			}
			else if (event instanceof ProblemStatementAgreed) {
				double shared = w * weights.problemStatementAgreed();
				this.credibility.positive(shared);
				this.intimacy.positive(shared);
				this.vendorOwnership.positive(shared);
				this.clientOwnership.positive(shared);
			}
			else if (event instanceof SponsorLost) {
				this.intimacy.negative(loss);
				this.sponsorless = true;
			}
			else if (event instanceof SponsorGained) {
				this.intimacy.positive(weights.sponsorGained());
				this.sponsorless = false;
			}
			else {
				applyCooperation(event, w, loss, weights);
			}
		}

		/**
		 * The client side taking part in the work, or not: weighed from model v2 on;
		 * every weight is 0 in v1, which leaves its scores as they were.
		 */
		private void applyCooperation(EngagementEvent event, double w, double loss, ScoringModel.Weights weights) {
			if (event instanceof InformationWithheld withheld && weights.informationWithheld() != 0) {
				this.intimacy.negative(loss * weights.informationWithheld());
				owner(withheld.party()).negative(w * weights.informationWithheld());
			}
			else if (event instanceof InformationShared shared && weights.informationShared() != 0) {
				this.intimacy.positive(weights.informationShared());
				owner(shared.party()).positive(weights.informationShared());
			}
			else if (event instanceof DecisionStalled && weights.decisionStalled() != 0) {
				this.clientOwnership.negative(w * weights.decisionStalled());
			}
			else if (event instanceof DecisionMade && weights.decisionMade() != 0) {
				this.clientOwnership.positive(weights.decisionMade());
			}
			else if (event instanceof ChangeResisted resisted && weights.changeResisted() != 0) {
				this.intimacy.negative(loss * weights.changeResisted());
				owner(resisted.party()).negative(w * weights.changeResisted());
			}
			else if (event instanceof StakeholderEngaged && weights.stakeholderEngaged() != 0) {
				this.intimacy.positive(weights.stakeholderEngaged());
			}
			else if (event instanceof StakeholderLost && weights.stakeholderLost() != 0) {
				this.intimacy.negative(loss * weights.stakeholderLost());
			}
		}

		private Evidence owner(Party party) {
			return (party == Party.CLIENT) ? this.clientOwnership : this.vendorOwnership;
		}

		/** The scar's ceiling at the current instant. */
		private double reliabilityCeiling() {
			if (this.scarredAt == null) {
				return 1.0;
			}
			// held at the pre-breach level for a while, then lifting with its own
			// half-life
			Duration sinceHold = Duration.between(this.scarredAt, this.now)
				.minusSeconds((long) (this.model.scarHoldDays() * SECONDS_PER_DAY));
			if (sinceHold.isNegative()) {
				return this.scarCeiling;
			}
			double fade = halving(sinceHold, this.model.scarHalfLifeDays());
			return 1.0 - (1.0 - this.scarCeiling) * fade;
		}

		Scores scores() {
			double c = this.credibility.mean();
			double r = StrictMath.min(this.reliability.mean(), reliabilityCeiling());
			double i = this.intimacy.mean() * (this.sponsorless ? this.model.sponsorlessFactor() : 1.0);
			double s = this.selfOrientation.mean();
			double[] trustInputs = { c, r, i, s };
			double v = this.vendorOwnership.mean();
			double k = this.clientOwnership.mean();
			double[] mutualInputs = { v, k };
			long trust = hundredths(trust(trustInputs));
			return new Scores(trust, hundredths(mutual(mutualInputs)), hundredths(100.0 * v), hundredths(100.0 * k),
					trustInputs, mutualInputs,
					new ScorePoint.Components(centi(hundredths(100.0 * c)), centi(hundredths(100.0 * r)),
							centi(hundredths(100.0 * i)), centi(hundredths(100.0 * s))),
					Band.of(trust / 100.0, this.model.bands()), this.sponsorless);
		}

	}

	private static double halving(Duration elapsed, double halfLifeDays) {
		double days = elapsed.getSeconds() / SECONDS_PER_DAY;
		return StrictMath.pow(0.5, days / halfLifeDays);
	}

}
