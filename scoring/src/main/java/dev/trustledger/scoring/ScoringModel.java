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
	 * silent default.
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
						weights.number("deflectionOwnership")),
				new Bands(bands.number("healthy"), bands.number("watch")), (int) config.number("staleAfterDays"),
				new Alerts(alerts.number("dropPoints"), (int) alerts.number("windowDays")));
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

	public record Weights(double problemStatementAgreed, double stoodByPartnerOwnership, double sponsorGained,
			double clientPromiseBrokenOwnership, double deflectionOwnership) {
	}

	/**
	 * @param healthy trust at or above is healthy; @param watch at or above is watch,
	 * below at-risk
	 */
	public record Bands(double healthy, double watch) {
	}

	public record Alerts(double dropPoints, int windowDays) {
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

		String text(String name) {
			Object value = this.values.get(name);
			if (value == null) {
				throw new InvalidModelException(this.path + name, "is missing");
			}
			return value.toString();
		}

	}

}
