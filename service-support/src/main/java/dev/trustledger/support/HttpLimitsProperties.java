package dev.trustledger.support;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxBody the largest request body
 * @param maxImportBody the largest body of a bulk import
 */
@ConfigurationProperties("trustledger.http")
public record HttpLimitsProperties(@DefaultValue("1MB") DataSize maxBody,
		@DefaultValue("512MB") DataSize maxImportBody) {
}
