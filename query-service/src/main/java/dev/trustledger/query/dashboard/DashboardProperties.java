package dev.trustledger.query.dashboard;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The dashboard's settings.
 *
 * @param commandServiceUrl where the dashboard relays the incidents recorded on its form
 */
@ConfigurationProperties("trustledger.dashboard")
public record DashboardProperties(@DefaultValue("http://127.0.0.1:8081") URI commandServiceUrl) {
}
