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

	private final CachingAuthenticationProvider provider = new CachingAuthenticationProvider(this.bcrypt,
			Duration.ofMinutes(5), 100);

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
		AtomicLong nanos = new AtomicLong();
		CachingAuthenticationProvider shortLived = new CachingAuthenticationProvider(this.bcrypt, Duration.ofMinutes(5),
				100, nanos::get);
		shortLived.authenticate(basic("ava", "right"));
		nanos.addAndGet(Duration.ofMinutes(4).toNanos());
		shortLived.authenticate(basic("ava", "right"));
		assertThat(this.checks).hasValue(1);

		nanos.addAndGet(Duration.ofMinutes(2).toNanos());
		shortLived.authenticate(basic("ava", "right"));
		assertThat(this.checks).hasValue(2);
	}

	private static UsernamePasswordAuthenticationToken basic(String name, String password) {
		return UsernamePasswordAuthenticationToken.unauthenticated(name, password);
	}

}
