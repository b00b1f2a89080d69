package dev.trustledger.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.trustledger.events.cooperation.ChangeResisted;
import dev.trustledger.events.cooperation.DecisionMade;
import dev.trustledger.events.cooperation.DecisionStalled;
import dev.trustledger.events.cooperation.InformationShared;
import dev.trustledger.events.cooperation.InformationWithheld;
import dev.trustledger.events.cooperation.StakeholderEngaged;
import dev.trustledger.events.cooperation.StakeholderLost;
import dev.trustledger.events.engagement.EngagementClosed;
import dev.trustledger.events.engagement.EngagementOpened;
import dev.trustledger.events.engagement.EngagementReopened;
import dev.trustledger.events.outcome.ClientEscalated;
import dev.trustledger.events.outcome.EngagementEnded;
import dev.trustledger.events.outcome.RenewalDecided;
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
import org.axonframework.serialization.Revision;

/**
 * The published names of engagement events. A type name is part of the public Kafka
 * contract ({@code docs/events.md}): {@code trustledger.engagement.<Event>.v<revision>}.
 */
public final class EngagementEventTypes {

	static final String PREFIX = "trustledger.engagement.";

	private static final List<Class<? extends EngagementEvent>> EVENTS = List.of(EngagementOpened.class,
			EngagementClosed.class, EngagementReopened.class, PromiseMade.class, PromiseKept.class, PromiseBroken.class,
			ResponsibilityTaken.class, ClientSharedBlame.class, BlameDeflected.class, SponsorLost.class,
			SponsorGained.class, StoodByPartner.class, ProblemStatementAgreed.class, RenewalDecided.class,
			ClientEscalated.class, EngagementEnded.class, InformationWithheld.class, InformationShared.class,
			DecisionStalled.class, DecisionMade.class, ChangeResisted.class, StakeholderEngaged.class,
			StakeholderLost.class);

	private static final Map<String, Class<? extends EngagementEvent>> BY_TYPE = EVENTS.stream()
		.collect(Collectors.toUnmodifiableMap(EngagementEventTypes::typeOf, Function.identity()));

	private EngagementEventTypes() {
	}

	public static List<Class<? extends EngagementEvent>> all() {
		return EVENTS;
	}

	public static String typeOf(Class<?> eventClass) {
		Revision revision = eventClass.getAnnotation(Revision.class);
		if (revision == null) {
			throw new IllegalArgumentException(eventClass.getName() + " has no @Revision");
		}
		return PREFIX + eventClass.getSimpleName() + ".v" + revision.value();
	}

	public static Optional<Class<? extends EngagementEvent>> classOf(String type) {
		return Optional.ofNullable(BY_TYPE.get(type));
	}

}
