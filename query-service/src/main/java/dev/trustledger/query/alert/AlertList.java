package dev.trustledger.query.alert;

import java.util.List;

import dev.trustledger.events.alert.TrustAlertRaised;

/**
 * Alerts, most recent first: each as it was raised on the alerts topic.
 *
 * @param alerts the alerts
 */
record AlertList(List<TrustAlertRaised> alerts) {
}
