package dev.trustledger.scoring.synthetic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.trustledger.events.EngagementEvent;
import dev.trustledger.events.IncidentEvent;
import dev.trustledger.events.Party;
import dev.trustledger.events.RefersToIncident;
import dev.trustledger.events.cooperation.ChangeResisted;
import dev.trustledger.events.cooperation.DecisionMade;
import dev.trustledger.events.cooperation.DecisionStalled;
import dev.trustledger.events.cooperation.InformationShared;
import dev.trustledger.events.cooperation.InformationWithheld;
import dev.trustledger.events.cooperation.StakeholderEngaged;
import dev.trustledger.events.cooperation.StakeholderLost;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.outcome.ClientEscalated;
import dev.trustledger.events.outcome.EngagementEnded;
import dev.trustledger.events.outcome.Ending;
import dev.trustledger.events.outcome.RenewalDecided;
import dev.trustledger.events.outcome.RenewalDecision;
import dev.trustledger.events.partnership.ProblemStatementAgreed;
import dev.trustledger.events.partnership.StoodByPartner;
import dev.trustledger.events.promise.PromiseBroken;
import dev.trustledger.events.promise.PromiseKept;
import dev.trustledger.events.promise.PromiseMade;
import dev.trustledger.events.responsibility.BlameDeflected;
import dev.trustledger.events.responsibility.ClientSharedBlame;
import dev.trustledger.events.responsibility.ResponsibilityTaken;
import dev.trustledger.events.sponsor.SponsorGained;
import dev.trustledger.events.sponsor.SponsorLost;
import dev.trustledger.scoring.backtest.Backtest;

/**
 * A believable portfolio for back-tests: engagements over about three years whose
 * incidents and outcomes come from hidden traits of both sides, never from any score. The
 * traits show through the events only noisily (a diligent team has bad quarters; a
 * difficult client keeps some promises), and some outcomes have causes no event shows (a
 * budget cut, an acquisition), so that a model recovering the traits earns a good AUC and
 * none can reach a perfect one. The assumptions are written down in
 * {@code seeds/generated-portfolio.md}. Deterministic: everything follows from the seed
 * and the end date; nothing reads a clock.
 */
public final class PortfolioGenerator {

	/** How a client behaves, hidden from the events it causes. */
	public enum Client {

		/** Shares the blame, keeps its promises. */
		DREAM(0.88, 0.55, 0.05, 0.015, 0.9, 0.1, 0.1, 0.05),

		/** Most clients. */
		ORDINARY(0.72, 0.25, 0.15, 0.02, 0.6, 0.25, 0.25, 0.15),

		/** Blames every provider it has had. */
		NIGHTMARE(0.55, 0.05, 0.55, 0.02, 0.25, 0.6, 0.3, 0.55),

		/** Nobody leads: promises slip, sponsors come and go. */
		LEADERLESS(0.5, 0.15, 0.2, 0.07, 0.35, 0.35, 0.7, 0.25);

		final double keepsPromises;

		final double sharesBlame;

		final double deflects;

		final double losesSponsorPerMonth;

		final double maturity;

		final double withholds;

		final double stalls;

		final double resists;

		Client(double keepsPromises, double sharesBlame, double deflects, double losesSponsorPerMonth, double maturity,
				double withholds, double stalls, double resists) {
			this.withholds = withholds;
			this.stalls = stalls;
			this.resists = resists;
			this.keepsPromises = keepsPromises;
			this.sharesBlame = sharesBlame;
			this.deflects = deflects;
			this.losesSponsorPerMonth = losesSponsorPerMonth;
			this.maturity = maturity;
		}

	}

	private static final Duration DAY = Duration.ofDays(1);

	private final long seed;

	private final Instant end;

	private final int engagements;

	/**
	 * @param end the instant the portfolio stands at: nothing occurs or is recorded after
	 * it
	 */
	public PortfolioGenerator(long seed, Instant end, int engagements) {
		this.seed = seed;
		this.end = end;
		this.engagements = engagements;
	}

	/**
	 * Every engagement's history, as recorded, outcomes included, with its hidden traits.
	 */
	public List<Generated> generate() {
		SplittableRandom random = new SplittableRandom(this.seed);
		List<Generated> portfolio = new ArrayList<>();
		Instant first = this.end.minus(Duration.ofDays(3 * 365));
		for (int i = 0; i < this.engagements; i++) {
			SplittableRandom own = random.split();
			double diligence = beta(own, 4, 2);
			Client client = pick(own);
			Instant opened = first.plus(Duration.ofHours(own.nextLong(2 * 365 * 24)));
			portfolio.add(new Generated(String.format(java.util.Locale.ROOT, "gen-%03d", i), diligence, client,
					engagement(String.format(java.util.Locale.ROOT, "gen-%03d", i), diligence, client, opened, own)));
		}
		return portfolio;
	}

	private Backtest.History engagement(String id, double diligence, Client client, Instant opened,
			SplittableRandom random) {
		List<Backtest.Recorded> events = new ArrayList<>();
		Recorder recorder = new Recorder(id, events, random, this.end);
		recorder.add(new EngagementOpened(id, "Client " + id, "Team " + (1 + random.nextInt(6)),
				"Lead " + (1 + random.nextInt(12)), "Sponsor of " + id, opened, "generator"), opened);
		boolean sponsored = true;
		int sponsors = 1;
		Instant month = opened;
		int promiseCount = 0;
		double badQuarter = 0;
		Instant nextRenewal = opened.plus(Duration.ofDays(365));
		Instant completesAt = null;
		// a latent health, fixed for the engagement: what drives its outcomes
		double health = 0.5 * diligence + 0.5 * client.maturity;
		while (month.isBefore(this.end)) {
			Instant monthEnd = month.plus(Duration.ofDays(30));
			if (month.equals(opened) || random.nextDouble() < 1.0 / 3) {
				// a bad quarter even for a good team, or a good one for a poor team
				badQuarter = (random.nextDouble() < 0.12) ? 0.35 : (random.nextDouble() < 0.08) ? -0.25 : 0;
			}
			double effective = clamp(diligence - badQuarter);
			int incidents = poisson(random, 2.5);
			for (int k = 0; k < incidents; k++) {
				Instant at = month.plus(Duration.ofMinutes(random.nextLong(30L * 24 * 60)));
				if (!at.isBefore(this.end)) {
					continue;
				}
				String incident = id + "-" + events.size();
				double roll = random.nextDouble();
				if (roll < 0.4) {
					// the vendor's promise, made now and kept or broken within weeks
					PromiseMade made = promise(recorder, incident, id + "-p" + promiseCount++, Party.VENDOR,
							"deliverable", at, random);
					String promise = made.promiseId();
					Instant due = made.dueBy();
					Instant settled = due.minus(Duration.ofDays(random.nextInt(5)));
					if (settled.isBefore(this.end)) {
						if (random.nextDouble() < 0.45 + 0.5 * effective) {
							recorder.add(new PromiseKept(id, incident + "k", promise, Party.VENDOR, made.severity(),
									null, settled, "generator"), settled);
						}
						else {
							recorder.add(new PromiseBroken(id, incident + "b", promise, Party.VENDOR, 3, "missed",
									settled, "generator"), settled);
							Instant after = settled.plus(Duration.ofHours(2 + random.nextInt(72)));
							double owns = 0.25 + 0.65 * effective;
							double r = random.nextDouble();
							if (r < owns) {
								recorder.add(new ResponsibilityTaken(id, incident + "r", Party.VENDOR, incident + "b",
										3, null, after, "generator"), after);
							}
							else if (r < owns + 0.3 * (1 - effective)) {
								recorder.add(new BlameDeflected(id, incident + "d", Party.VENDOR, incident + "b", 3,
										null, after, "generator"), after);
							}
							if (random.nextDouble() < client.sharesBlame) {
								recorder.add(new ClientSharedBlame(id, incident + "s", incident + "b", 3, null,
										after.plus(DAY), "generator"), after.plus(DAY));
							}
						}
					}
				}
				else if (roll < 0.7) {
					// the client's promise: data, access, a decision
					PromiseMade made = promise(recorder, incident, id + "-p" + promiseCount++, Party.CLIENT,
							"client input", at, random);
					String promise = made.promiseId();
					Instant due = made.dueBy();
					Instant settled = due.plus(Duration.ofDays(random.nextInt(4)));
					if (settled.isBefore(this.end)) {
						if (random.nextDouble() < client.keepsPromises) {
							recorder.add(new PromiseKept(id, incident + "k", promise, Party.CLIENT, made.severity(),
									null, settled, "generator"), settled);
						}
						else {
							recorder.add(new PromiseBroken(id, incident + "b", promise, Party.CLIENT, 3, "late",
									settled, "generator"), settled);
							if (random.nextDouble() < client.deflects) {
								Instant after = settled.plus(DAY);
								recorder.add(new BlameDeflected(id, incident + "d", Party.CLIENT, incident + "b", 3,
										null, after, "generator"), after);
							}
						}
					}
				}
				else if (roll < 0.8) {
					if (random.nextDouble() < 0.2 + 0.6 * effective) {
						recorder.add(new StoodByPartner(id, incident, Party.VENDOR, 1 + random.nextInt(5), null, at,
								"generator"), at);
					}
				}
				else if (roll < 0.86) {
					if (random.nextDouble() < 0.5 * client.maturity + 0.3 * effective) {
						recorder.add(new ProblemStatementAgreed(id, incident, null, 3, null, at, "generator"), at);
					}
				}
				else if (roll < 0.9) {
					if (random.nextDouble() < (1 - health) * 0.5) {
						recorder.add(new ClientEscalated(id, incident, 2 + random.nextInt(4), "to our leadership", at,
								"generator"), at);
					}
				}
				else {
					cooperation(recorder, id, incident, client, at, random);
				}
			}
			if (sponsored && random.nextDouble() < client.losesSponsorPerMonth) {
				Instant at = month.plus(Duration.ofDays(random.nextInt(30)));
				if (at.isBefore(this.end)) {
					recorder.add(new SponsorLost(id, id + "-sl" + sponsors, null, 3, "left", at, "generator"), at);
					sponsored = false;
				}
			}
			else if (!sponsored && random.nextDouble() < 0.25) {
				Instant at = month.plus(Duration.ofDays(random.nextInt(30)));
				if (at.isBefore(this.end)) {
					sponsors++;
					recorder.add(new SponsorGained(id, id + "-sg" + sponsors, "Sponsor " + sponsors + " of " + id, null,
							at, "generator"), at);
					sponsored = true;
				}
			}
			if (!nextRenewal.isAfter(monthEnd) && nextRenewal.isBefore(this.end)) {
				// decided from the latent health, with noise, and now and then for a
				// reason no event shows
				boolean shock = random.nextDouble() < 0.08;
				double p = 1 / (1 + StrictMath.exp(-8 * (health + gaussian(random) * 0.12 - 0.55)));
				boolean good = !shock && random.nextDouble() < p;
				RenewalDecision decision = good
						? ((random.nextDouble() < 0.3 * health) ? RenewalDecision.EXPANDED : RenewalDecision.RENEWED)
						: ((random.nextDouble() < 0.5) ? RenewalDecision.NOT_RENEWED : RenewalDecision.CONTRACTED);
				recorder.add(new RenewalDecided(id, id + "-renewal-" + nextRenewal.toEpochMilli(), decision, null,
						nextRenewal, "generator"), nextRenewal);
				if (decision == RenewalDecision.NOT_RENEWED) {
					Instant ended = nextRenewal.plus(Duration.ofDays(30));
					if (ended.isBefore(this.end)) {
						recorder.add(new EngagementEnded(id, id + "-ended", Ending.ENDED_BY_CLIENT, null, ended,
								"generator"), ended);
					}
					break;
				}
				if (completesAt == null && random.nextDouble() < 0.15) {
					// a fixed-term engagement: it goes on until it is done
					completesAt = nextRenewal.plus(Duration.ofDays(60 + random.nextInt(120)));
				}
				nextRenewal = nextRenewal.plus(Duration.ofDays(365));
			}
			if (completesAt != null && !completesAt.isAfter(monthEnd)) {
				if (completesAt.isBefore(this.end)) {
					recorder.add(new EngagementEnded(id, id + "-ended", Ending.COMPLETED_AS_AGREED, null, completesAt,
							"generator"), completesAt);
				}
				break;
			}
			month = monthEnd;
		}
		List<Backtest.Recorded> recordable = recordable(events);
		recordable.sort(Comparator.comparing(Backtest.Recorded::recordedAt)
			.thenComparing((recorded) -> recorded.event().occurredAt()));
		List<Backtest.Recorded> numbered = new ArrayList<>();
		for (Backtest.Recorded recorded : recordable) {
			numbered.add(new Backtest.Recorded(numbered.size(), id + "-e" + numbered.size(), recorded.event(),
					recorded.recordedAt()));
		}
		return new Backtest.History(id, numbered);
	}

	/**
	 * The history as an account team can record it, one event after another, under the
	 * engagement's rules: an event is recorded no earlier than the opening and what it
	 * refers to (a promise kept or broken after it was made, responsibility for a miss
	 * after the miss, a decision made after it stalled), a change of sponsor no earlier
	 * than the change before it, and the ending after everything that occurred before it;
	 * nothing occurs after the ending (a promise due after the last day is simply never
	 * settled). In recording order, then, the command service accepts every event of it.
	 */
	private static List<Backtest.Recorded> recordable(List<Backtest.Recorded> events) {
		List<Backtest.Recorded> byOccurrence = new ArrayList<>(events);
		byOccurrence.sort(Comparator.comparing((Backtest.Recorded recorded) -> recorded.event().occurredAt()));
		Map<String, Instant> recordedAt = new HashMap<>();
		Instant latest = Instant.MIN;
		Instant sponsorChange = Instant.MIN;
		Instant opening = Instant.MIN;
		List<Backtest.Recorded> recordable = new ArrayList<>();
		for (Backtest.Recorded recorded : byOccurrence) {
			EngagementEvent event = recorded.event();
			Instant at = recorded.recordedAt();
			String cause = cause(event);
			if (cause != null && recordedAt.containsKey(cause)) {
				at = later(at, recordedAt.get(cause));
			}
			if (event instanceof SponsorLost || event instanceof SponsorGained) {
				at = later(at, sponsorChange);
				sponsorChange = at;
			}
			if (event instanceof EngagementOpened) {
				opening = at;
			}
			at = later(at, opening);
			if (event instanceof EngagementEnded) {
				at = later(at, latest);
			}
			if (event instanceof PromiseMade made) {
				recordedAt.put(made.promiseId(), at);
			}
			else if (event instanceof IncidentEvent incident) {
				recordedAt.put(incident.incidentId(), at);
			}
			latest = later(latest, at);
			recordable.add(new Backtest.Recorded(recorded.sequence(), recorded.eventId(), event, at));
			if (event instanceof EngagementEnded) {
				break;
			}
		}
		return recordable;
	}

	/** The promise or incident an event refers to, if any. */
	private static String cause(EngagementEvent event) {
		if (event instanceof PromiseKept kept) {
			return kept.promiseId();
		}
		if (event instanceof PromiseBroken broken) {
			return broken.promiseId();
		}
		return (event instanceof RefersToIncident reply) ? reply.incidentRef() : null;
	}

	private static Instant later(Instant one, Instant other) {
		return one.isAfter(other) ? one : other;
	}

	/**
	 * A promise made at {@code at}, due within weeks, of a random weight; when it is
	 * kept, it weighs what it weighed when made, as the engagement records it.
	 */
	private static PromiseMade promise(Recorder recorder, String incident, String promiseId, Party party,
			String description, Instant at, SplittableRandom random) {
		Instant due = at.plus(Duration.ofDays(7 + random.nextInt(30)));
		PromiseMade made = new PromiseMade(recorder.id(), incident, promiseId, party, 1 + random.nextInt(5),
				description, due, at, "generator");
		recorder.add(made, at);
		return made;
	}

	/**
	 * Whether the client opens its doors: information or access withheld and later given,
	 * a decision stalled and later made, the change resisted, people beyond the sponsor
	 * joining or leaving; each as likely as the client's kind makes it.
	 */
	private void cooperation(Recorder recorder, String id, String incident, Client client, Instant at,
			SplittableRandom random) {
		double roll = random.nextDouble();
		Instant later = at.plus(Duration.ofDays(5 + random.nextInt(40)));
		if (roll < 0.3) {
			if (random.nextDouble() < client.withholds) {
				recorder.add(new InformationWithheld(id, incident, Party.CLIENT, 2 + random.nextInt(4), null, at,
						"generator"), at);
				if (random.nextDouble() < 0.6) {
					recorder.add(
							new InformationShared(id, incident + "g", Party.CLIENT, incident, null, later, "generator"),
							later);
				}
			}
			else {
				recorder.add(new InformationShared(id, incident, Party.CLIENT, null, null, at, "generator"), at);
			}
		}
		else if (roll < 0.55) {
			if (random.nextDouble() < client.stalls) {
				recorder.add(new DecisionStalled(id, incident, 2 + random.nextInt(4), null, at, "generator"), at);
				if (random.nextDouble() < 0.6) {
					recorder.add(new DecisionMade(id, incident + "m", incident, null, later, "generator"), later);
				}
			}
			else {
				recorder.add(new DecisionMade(id, incident, null, null, at, "generator"), at);
			}
		}
		else if (roll < 0.7) {
			if (random.nextDouble() < client.resists) {
				recorder.add(
						new ChangeResisted(id, incident, Party.CLIENT, 2 + random.nextInt(4), null, at, "generator"),
						at);
			}
		}
		else if (random.nextDouble() < client.maturity) {
			recorder.add(new StakeholderEngaged(id, incident, "person " + random.nextInt(20), null, at, "generator"),
					at);
		}
		else {
			recorder.add(new StakeholderLost(id, incident, "person " + random.nextInt(20), 2 + random.nextInt(3), null,
					at, "generator"), at);
		}
	}

	/**
	 * Records events as an account team does: most within three days of occurring, one in
	 * twenty weeks late; never after the end.
	 */
	private record Recorder(String id, List<Backtest.Recorded> events, SplittableRandom random, Instant end) {

		void add(EngagementEvent event, Instant occurredAt) {
			if (!occurredAt.isBefore(this.end)) {
				// what would follow the end has not happened yet
				return;
			}
			Duration delay = (this.random.nextDouble() < 0.05) ? Duration.ofDays(7 + this.random.nextInt(40))
					: Duration.ofMinutes(this.random.nextLong(3L * 24 * 60));
			Instant recordedAt = occurredAt.plus(delay);
			if (recordedAt.isAfter(this.end)) {
				recordedAt = this.end;
			}
			this.events.add(new Backtest.Recorded(0, null, event, recordedAt));
		}

	}

	private static Client pick(SplittableRandom random) {
		double roll = random.nextDouble();
		return (roll < 0.2) ? Client.DREAM
				: (roll < 0.7) ? Client.ORDINARY : (roll < 0.85) ? Client.NIGHTMARE : Client.LEADERLESS;
	}

	/** Beta(a, b) for whole a and b, from uniform order statistics. */
	private static double beta(SplittableRandom random, int a, int b) {
		double[] u = new double[a + b - 1];
		for (int i = 0; i < u.length; i++) {
			u[i] = random.nextDouble();
		}
		java.util.Arrays.sort(u);
		return u[a - 1];
	}

	private static int poisson(SplittableRandom random, double mean) {
		double limit = StrictMath.exp(-mean);
		double product = random.nextDouble();
		int count = 0;
		while (product > limit) {
			product *= random.nextDouble();
			count++;
		}
		return count;
	}

	private static double gaussian(SplittableRandom random) {
		return StrictMath.sqrt(-2 * StrictMath.log(1 - random.nextDouble()))
				* StrictMath.cos(2 * Math.PI * random.nextDouble());
	}

	private static double clamp(double value) {
		return Math.max(0, Math.min(1, value));
	}

	/** One generated engagement: its hidden traits and its history. */
	public record Generated(String engagementId, double diligence, Client client, Backtest.History history) {
	}

}
