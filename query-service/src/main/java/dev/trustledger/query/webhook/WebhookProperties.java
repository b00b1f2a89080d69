package dev.trustledger.query.webhook;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of alert webhooks ({@code trustledger.webhooks.*}).
 *
 * @param dashboardUrl where the dashboard is reached by the people an alert goes to: the
 * links in a payload start with it
 * @param retry the back-off between attempts and when a delivery is given up
 * @param disableAfterFailures failed attempts in a row, over all its deliveries, after
 * which a subscription is disabled until someone enables it again
 * @param secretOverlap how long a rotated-out secret still signs beside its successor,
 * unless the rotation says otherwise
 * @param allowPrivateTargets whether a target may be a loopback, link-local or private
 * address. Off by default: otherwise anyone allowed to subscribe could make the service
 * post to what only it can reach (a database, a cloud metadata endpoint). The local
 * launcher turns it on, since everything there is on this machine.
 * @param pollInterval how often the queue is read for deliveries that are due
 * @param lease how long an instance holds a delivery it is sending
 * @param senders deliveries sent at once
 * @param connectTimeout to connect to a target
 * @param requestTimeout for a target to answer
 */
@ConfigurationProperties("trustledger.webhooks")
record WebhookProperties(@DefaultValue("http://localhost:8082") URI dashboardUrl, @DefaultValue Retry retry,
		@DefaultValue("50") int disableAfterFailures, @DefaultValue("24h") Duration secretOverlap,
		@DefaultValue("false") boolean allowPrivateTargets, @DefaultValue("1s") Duration pollInterval,
		@DefaultValue("60s") Duration lease, @DefaultValue("4") int senders,
		@DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration requestTimeout) {

	/**
	 * The first wait, growing by {@code multiplier} up to {@code maxInterval}; given up
	 * {@code giveUpAfter} after the first attempt (three days: a receiver down over a
	 * weekend still gets everything).
	 */
	record Retry(@DefaultValue("5s") Duration initialInterval, @DefaultValue("3") double multiplier,
			@DefaultValue("2h") Duration maxInterval, @DefaultValue("72h") Duration giveUpAfter) {

		RetryPolicy policy() {
			return new RetryPolicy(this.initialInterval, this.multiplier, this.maxInterval, this.giveUpAfter);
		}

	}

}
