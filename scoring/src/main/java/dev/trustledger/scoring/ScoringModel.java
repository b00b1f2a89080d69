package dev.trustledger.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every parameter of the scoring engine, read from a versioned YAML file. Each point the
 * engine produces records the version of the model that produced it.
 *
 * @param version the model's name, recorded on every point
 * @param halfLifeDays evidence halves in weight every this many days
 * @param referenceSeverity the severity whose weight is 1
 * @param lossAsymmetry how many times more bad news counts than good
 * @param scarHoldDays how long a broken promise caps reliability at its level before the
 * breach
 * @param scarHalfLifeDays how fast that ceiling lifts afterwards
 * @param sponsorlessFactor what intimacy counts for after a sponsor is lost and before
 * another is gained
 */
public record ScoringModel(String version, double halfLifeDays, double referenceSeverity, double lossAsymmetry,
		Priors priors, double scarHoldDays, double scarHalfLifeDays, double sponsorlessFactor, Weights weights,
		Bands bands, int staleAfterDays, Alerts alerts) {

	/** The model shipped with this version of Trust Ledger. */
	public static final String DEFAULT_RESOURCE = "trust-model-v1.yaml";

	public static ScoringModel defaultModel() {
		try (InputStream in = ScoringModel.class.getResourceAsStream(DEFAULT_RESOURCE)) {
			return read(Objects.requireNonNull(in, DEFAULT_RESOURCE));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Reads a model from YAML; a missing or mistyped parameter is an error, never a
	 * silent default, except the parameters added after models were first written
	 * ({@code alerts.mutualLowBelow}, {@code alerts.promiseOverdueDays}), whose defaults
	 * are documented with them, so that those models stay loadable.
	 */
	public static ScoringModel read(InputStream yaml) {
		Object loaded;
		try {
			loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
		}
		catch (org.yaml.snakeyaml.error.YAMLException ex) {
			throw new InvalidModelException(null, "is not YAML: " + ex.getMessage());
		}
		if (!(loaded instanceof Map<?, ?>)) {
			throw new InvalidModelException(null, "must be a YAML mapping of the model's parameters");
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> root = (Map<String, Object>) loaded;
		Config config = new Config(root, "");
		Config priors = config.child("priors");
		Config weights = config.child("weights");
		Config bands = config.child("bands");
		Config alerts = config.child("alerts");
		return new ScoringModel(config.text("version"), config.number("halfLifeDays"),
				config.number("referenceSeverity"), config.number("lossAsymmetry"),
				new Priors(prior(priors, "credibility"), prior(priors, "reliability"), prior(priors, "intimacy"),
						prior(priors, "selfOrientation"), prior(priors, "vendorOwnership"),
						prior(priors, "clientOwnership")),
				config.number("scarHoldDays"), config.number("scarHalfLifeDays"), config.number("sponsorlessFactor"),
				new Weights(weights.number("problemStatementAgreed"), weights.number("stoodByPartnerOwnership"),
						weights.number("sponsorGained"), weights.number("clientPromiseBrokenOwnership"),
						weights.number("deflectionOwnership"), weights.number("vendorPromiseKeptOwnership", 0),
						weights.number("informationWithheld", 0), weights.number("informationShared", 0),
						weights.number("decisionStalled", 0), weights.number("decisionMade", 0),
						weights.number("changeResisted", 0), weights.number("stakeholderEngaged", 0),
						weights.number("stakeholderLost", 0)),
				new Bands(bands.number("healthy"), bands.number("watch")), (int) config.number("staleAfterDays"),
				new Alerts(alerts.number("dropPoints"), (int) alerts.number("windowDays"),
						alerts.number("mutualLowBelow", Alerts.MUTUAL_LOW_BELOW),
						(int) alerts.number("promiseOverdueDays", Alerts.PROMISE_OVERDUE_DAYS)));
	}

	private static Prior prior(Config priors, String name) {
		Config prior = priors.child(name);
		return new Prior(prior.number("positive"), prior.number("negative"));
	}

	/** Pseudo-counts of positive and negative evidence that a component starts from. */
	public record Prior(double positive, double negative) {

		public double mean() {
			return this.positive / (this.positive + this.negative);
		}

	}

	public record Priors(Prior credibility, Prior reliability, Prior intimacy, Prior selfOrientation,
			Prior vendorOwnership, Prior clientOwnership) {
	}

	/**
	 * How much particular events weigh. The last eight came with model v2 and default to
	 * 0 (no weight) in a model file without them, so that v1 scores as it always did.
	 *
	 * @param vendorPromiseKeptOwnership how much a promise the vendor keeps counts as its
	 * ownership (a client's kept promise counts fully as the client's)
	 * @param informationWithheld how much withholding information or access costs
	 * intimacy and the withholder's ownership
	 * @param informationShared how much sharing it gains them
	 * @param decisionStalled how much a stalled decision costs the client's ownership
	 * @param decisionMade how much making it gains
	 * @param changeResisted how much resisting the change costs intimacy and the
	 * resister's ownership
	 * @param stakeholderEngaged how much someone beyond the sponsor taking part adds to
	 * intimacy
	 * @param stakeholderLost how much losing them costs
	 */
	public record Weights(double problemStatementAgreed, double stoodByPartnerOwnership, double sponsorGained,
			double clientPromiseBrokenOwnership, double deflectionOwnership, double vendorPromiseKeptOwnership,
			double informationWithheld, double informationShared, double decisionStalled, double decisionMade,
			double changeResisted, double stakeholderEngaged, double stakeholderLost) {
	}

	/**
	 * @param healthy trust at or above is healthy; @param watch at or above is watch,
	 * below at-risk
	 */
	public record Bands(double healthy, double watch) {
	}

	/**
	 * When alerts are raised.
	 *
	 * @param dropPoints a fall of trust of at least this many points within
	 * {@code windowDays} raises {@code TRUST_DROP}
	 * @param windowDays the window of a drop, and of the events named as its cause
	 * @param mutualLowBelow mutual responsibility below this is its low band: entering it
	 * raises {@code MUTUAL_RESPONSIBILITY_LOW}; a model file without it gets
	 * {@link #MUTUAL_LOW_BELOW}, so that models written before it stay loadable
	 * @param promiseOverdueDays how many days after its due date a promise neither kept
	 * nor broken raises {@code PROMISE_OVERDUE}; a model file without it gets
	 * {@link #PROMISE_OVERDUE_DAYS}
	 */
	public record Alerts(double dropPoints, int windowDays, double mutualLowBelow, int promiseOverdueDays) {

		public static final double MUTUAL_LOW_BELOW = 40.0;

		/** Overdue from the day after it was due. */
		public static final int PROMISE_OVERDUE_DAYS = 1;

		public Alerts {
			if (!(mutualLowBelow >= 0 && mutualLowBelow <= 100)) {
				throw new InvalidModelException("alerts.mutualLowBelow", "must be between 0 and 100");
			}
			if (promiseOverdueDays < 0 || promiseOverdueDays > 3_650) {
				throw new InvalidModelException("alerts.promiseOverdueDays", "must be between 0 and 3650");
			}
		}

	}

	/** A model that cannot be read, naming the parameter at fault. */
	public static final class InvalidModelException extends IllegalArgumentException {

		private final String parameter;

		InvalidModelException(String parameter, String problem) {
			super("Scoring model: " + ((parameter != null) ? parameter + " " : "") + problem);
			this.parameter = parameter;
		}

		/**
		 * The parameter's dotted path, or {@code null} when the whole file is at fault.
		 */
		public String parameter() {
			return this.parameter;
		}

	}

	private record Config(Map<String, Object> values, String path) {

		Config child(String name) {
			Object value = this.values.get(name);
			if (!(value instanceof Map<?, ?> map)) {
				throw new InvalidModelException(this.path + name, "is missing");
			}
			@SuppressWarnings("unchecked")
			Map<String, Object> child = (Map<String, Object>) map;
			return new Config(child, this.path + name + ".");
		}

		double number(String name) {
			Object value = this.values.get(name);
			if (!(value instanceof Number number)) {
				throw new InvalidModelException(this.path + name, "must be a number");
			}
			return number.doubleValue();
		}

		/** An optional number: {@code otherwise} when the file does not have it. */
		double number(String name, double otherwise) {
			return this.values.containsKey(name) ? number(name) : otherwise;
		}

		String text(String name) {
			Object value = this.values.get(name);
			if (value == null) {
				throw new InvalidModelException(this.path + name, "is missing");
			}
			return value.toString();
		}

	}

}
