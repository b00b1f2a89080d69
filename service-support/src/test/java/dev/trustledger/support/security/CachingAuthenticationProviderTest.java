package dev.trustledger.support.security;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingAuthenticationProviderTest {

	/**
	 * A stand-in for the bcrypt check: ava's password is "right", and every check is
	 * counted.
	 */
	private final AtomicInteger checks = new AtomicInteger();

	private final AuthenticationProvider bcrypt = new AuthenticationProvider() {

		@Override
		public Authentication authenticate(Authentication authentication) {
			CachingAuthenticationProviderTest.this.checks.incrementAndGet();
			if (authentication.getName().equals("ava") && "right".equals(authentication.getCredentials())) {
				return UsernamePasswordAuthenticationToken.authenticated("ava", null,
						AuthorityUtils.createAuthorityList("ROLE_ACCOUNT_TEAM"));
			}
			throw new BadCredentialsException("Bad credentials");
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
		}

	};

	private final AtomicLong nanos = new AtomicLong();

	private final SignInThrottle throttle = new SignInThrottle(3, Duration.ofMinutes(5), this.nanos::get);

	private final CachingAuthenticationProvider provider = new CachingAuthenticationProvider(this.bcrypt,
			Duration.ofMinutes(5), 100, this.throttle, this.nanos::get);

	@Test
	void theSameRightPasswordIsCheckedOnceAndAnswersTheSameUser() {
		Authentication first = this.provider.authenticate(basic("ava", "right"));
		Authentication second = this.provider.authenticate(basic("ava", "right"));

		assertThat(this.checks).hasValue(1);
		assertThat(second.getName()).isEqualTo("ava");
		assertThat(second.isAuthenticated()).isTrue();
		assertThat(second.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_ACCOUNT_TEAM");
		// each request gets a token of its own
		assertThat(second).isNotSameAs(first);
		second.setAuthenticated(false);
		assertThat(this.provider.authenticate(basic("ava", "right")).isAuthenticated()).isTrue();
		assertThat(this.checks).hasValue(1);
	}

	@Test
	void wrongPasswordsAreCheckedEveryTimeAndNeverLetIn() {
		this.provider.authenticate(basic("ava", "right"));
		for (int i = 0; i < 3; i++) {
			assertThatThrownBy(() -> this.provider.authenticate(basic("ava", "wrong")))
				.isInstanceOf(BadCredentialsException.class);
		}
		assertThatThrownBy(() -> this.provider.authenticate(basic("ava", "righ")))
			.isInstanceOf(BadCredentialsException.class);
		assertThatThrownBy(() -> this.provider.authenticate(basic("avaright", "")))
			.isInstanceOf(BadCredentialsException.class);

		assertThat(this.checks).hasValue(6);
	}

	@Test
	void anEntryIsForgottenAfterItsTimeToLive() {
		this.provider.authenticate(basic("ava", "right"));
		this.nanos.addAndGet(Duration.ofMinutes(4).toNanos());
		this.provider.authenticate(basic("ava", "right"));
		assertThat(this.checks).hasValue(1);

		this.nanos.addAndGet(Duration.ofMinutes(2).toNanos());
		this.provider.authenticate(basic("ava", "right"));
		assertThat(this.checks).hasValue(2);
	}

	/**
	 * Found reading the code: failed sign-ins were not slowed at all. A source that keeps
	 * failing is refused before any check, the right password included, until it has been
	 * quiet for the window; other sources are not affected.
	 */
	@Test
	void aSourceThatKeepsFailingIsRefusedUntilItHasBeenQuiet() {
		for (int i = 0; i < 3; i++) {
			assertThatThrownBy(() -> this.provider.authenticate(from("10.0.0.9", "ava", "guess")))
				.isInstanceOf(BadCredentialsException.class);
		}
		assertThatThrownBy(() -> this.provider.authenticate(from("10.0.0.9", "ava", "right")))
			.isInstanceOf(SignInThrottledException.class);
		assertThat(this.checks).as("refused before any check").hasValue(3);
		assertThat(this.provider.authenticate(from("10.0.0.7", "ava", "right")).isAuthenticated()).isTrue();
		// a cached right password is refused too: refusals must not tell right from wrong
		assertThatThrownBy(() -> this.provider.authenticate(from("10.0.0.9", "ava", "right")))
			.isInstanceOf(SignInThrottledException.class);

		this.nanos.addAndGet(Duration.ofMinutes(5).plusSeconds(1).toNanos());
		assertThat(this.provider.authenticate(from("10.0.0.9", "ava", "right")).isAuthenticated()).isTrue();
	}

	/**
	 * Found reading the code: a name that does not exist was checked against a hash of
	 * cost 10 while the demo users' cost 4, so unknown names were slow (they can be told
	 * apart) and the cheapest way to load both cores. Unknown names now cost what the
	 * dearest configured user does.
	 */
	@Test
	void anUnknownNameCostsWhatTheDearestKnownUserDoes() {
		SecurityProperties users = new SecurityProperties(SecurityProperties.Mode.BASIC,
				java.util.List.of(
						new SecurityProperties.User("ava", new BCryptPasswordEncoder(4).encode("right"),
								java.util.Set.of(Role.ACCOUNT_TEAM)),
						new SecurityProperties.User("root", "{bcrypt}" + new BCryptPasswordEncoder(5).encode("root"),
								java.util.Set.of(Role.ADMIN))),
				new SecurityProperties.Jwt("roles", "sub"), new SecurityProperties.SignIn(20, Duration.ofMinutes(5)));
		PasswordEncoder encoder = TrustLedgerSecurity.passwordEncoder(users);
		// what Spring Security checks an unknown name against is made by encode()
		assertThat(encoder.encode("anything")).startsWith("{bcrypt}$2a$05$");
		assertThat(encoder.matches("right", "{bcrypt}" + users.users().get(0).passwordHash())).isTrue();
		SecurityProperties none = new SecurityProperties(SecurityProperties.Mode.BASIC, java.util.List.of(),
				users.jwt(), users.signIn());
		assertThat(TrustLedgerSecurity.passwordEncoder(none).encode("anything")).startsWith("{bcrypt}$2a$10$");
	}

	/** Found by review: an IPv6 guesser could rotate through the addresses of its /64. */
	@Test
	void anIpv6SourceIsItsNetwork() {
		for (int i = 0; i < 3; i++) {
			String address = "2001:db8:1:2:0:0:0:" + Integer.toHexString(i + 1);
			assertThatThrownBy(() -> this.provider.authenticate(from(address, "ava", "guess")))
				.isInstanceOf(BadCredentialsException.class);
		}
		assertThatThrownBy(() -> this.provider.authenticate(from("2001:db8:1:2::ffff", "ava", "right")))
			.isInstanceOf(SignInThrottledException.class);
		assertThat(this.provider.authenticate(from("2001:db8:1:3::1", "ava", "right")).isAuthenticated()).isTrue();
	}

	private static UsernamePasswordAuthenticationToken from(String address, String name, String password) {
		UsernamePasswordAuthenticationToken token = basic(name, password);
		token.setDetails(new WebAuthenticationDetails(address, null));
		return token;
	}

	private static UsernamePasswordAuthenticationToken basic(String name, String password) {
		return UsernamePasswordAuthenticationToken.unauthenticated(name, password);
	}

}
