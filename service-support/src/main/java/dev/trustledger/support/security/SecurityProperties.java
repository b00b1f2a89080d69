package dev.trustledger.support.security;

import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the services authenticate.
 *
 * @param mode {@code basic}: HTTP Basic against {@link #users()} (the embedded default);
 * {@code jwt}: an OAuth2 resource server validating bearer tokens, configured with the
 * standard {@code spring.security.oauth2.resourceserver.jwt.*} properties
 * @param users the Basic users, with bcrypt password hashes, never plain passwords
 * @param jwt where roles and the principal's name come from in a token
 * @param signIn how failed sign-ins are slowed per source
 */
@ConfigurationProperties("trustledger.security")
public record SecurityProperties(@DefaultValue("basic") Mode mode, @DefaultValue List<User> users,
		@DefaultValue Jwt jwt, @DefaultValue SignIn signIn) {

	public enum Mode {

		BASIC, JWT

	}

	/**
	 * @param passwordHash a bcrypt hash, with or without the {@code {bcrypt}} prefix
	 */
	public record User(String name, String passwordHash, Set<Role> roles) {

		@Override
		public String toString() {
			return "User[name=" + this.name + ", roles=" + this.roles + "]";
		}

	}

	/**
	 * @param rolesClaim the claim holding role names (a list or a space-separated string)
	 * @param principalClaim the claim naming the user, recorded as recorded-by
	 */
	public record Jwt(@DefaultValue("roles") String rolesClaim, @DefaultValue("sub") String principalClaim) {
	}

	/**
	 * @param maxFailures failed sign-ins from one source before it is refused
	 * @param window how long a refused source must stay quiet; failures closer together
	 * than this add up
	 */
	public record SignIn(@DefaultValue("20") int maxFailures, @DefaultValue("5m") java.time.Duration window) {
	}

}
