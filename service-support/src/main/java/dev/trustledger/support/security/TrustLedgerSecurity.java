package dev.trustledger.support.security;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * The security both services share: stateless, HTTP Basic against configured users or a
 * JWT resource server, problem+json for 401 and 403, the health endpoint open and
 * everything else authenticated. Each service adds its own rules on who may do what.
 */
public final class TrustLedgerSecurity {

	private TrustLedgerSecurity() {
	}

	public static SecurityFilterChain filterChain(HttpSecurity http, SecurityProperties properties,
			ObjectMapper objectMapper,
			Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry> rules)
			throws Exception {
		return filterChain(http, properties, objectMapper, rules, null);
	}

	/**
	 * The shared security, and, when {@code browser} is given, signing in from a browser
	 * as well: a sign-in page, a session cookie, and CSRF protection for every request
	 * that relies on that cookie. Requests that carry their own {@code Authorization}
	 * header stay stateless and need no CSRF token, as before.
	 */
	public static SecurityFilterChain filterChain(HttpSecurity http, SecurityProperties properties,
			ObjectMapper objectMapper,
			Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry> rules,
			BrowserSignIn browser) throws Exception {
		boolean basic = properties.mode() == SecurityProperties.Mode.BASIC;
		ProblemAuthenticationHandlers problems = new ProblemAuthenticationHandlers(objectMapper,
				basic ? "Basic realm=\"trustledger\"" : "Bearer");
		http.authorizeHttpRequests((authorize) -> {
			authorize.requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll();
			// metrics (Prometheus's format and the actuator's own) for admins and
			// scrapers
			// with an admin's credentials; a management port of its own is the other way
			authorize.requestMatchers("/actuator/**").hasRole(Role.ADMIN.name());
			if (browser != null) {
				authorize.requestMatchers(browser.open().toArray(String[]::new)).permitAll();
			}
			rules.customize(authorize);
			authorize.anyRequest().authenticated();
		});
		if (browser == null) {
			http.csrf(AbstractHttpConfigurer::disable)
				.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
				.exceptionHandling(
						(exceptions) -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems));
		}
		else {
			browser.configure(http, problems);
		}
		http.addFilterBefore(new BrowserRequests(objectMapper), CsrfFilter.class);
		if (basic) {
			// a Basic request is authenticated on its own: it never creates or joins a
			// session
			http.httpBasic((httpBasic) -> httpBasic.authenticationEntryPoint(problems)
				.securityContextRepository(new RequestAttributeSecurityContextRepository()));
		}
		else {
			http.oauth2ResourceServer((server) -> server.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems)
				.jwt((jwt) -> jwt.jwtAuthenticationConverter(jwtConverter(properties.jwt()))));
		}
		return http.build();
	}

	/**
	 * The configured Basic users; an empty list means nobody can sign in with Basic.
	 * <p>
	 * Only a lookup is exposed. Were the in-memory manager itself the bean, Spring
	 * Security would also use it to "upgrade" every hash cheaper than its default cost-10
	 * bcrypt on the first sign-in, re-encoding the password, and from then on every Basic
	 * request would pay a cost-10 check (about 70 ms of CPU here) instead of the
	 * configured hash's.
	 */
	public static UserDetailsService users(SecurityProperties properties) {
		UserDetailsService manager = new InMemoryUserDetailsManager(properties.users()
			.stream()
			.map((user) -> User.withUsername(user.name())
				.password(user.passwordHash().startsWith("{") ? user.passwordHash() : "{bcrypt}" + user.passwordHash())
				.roles(user.roles().stream().map(Role::name).toArray(String[]::new))
				.build())
			.toList());
		return manager::loadUserByUsername;
	}

	/**
	 * Checks bcrypt hashes of any cost, and hashes at the cost of the dearest configured
	 * user's. Spring Security checks a name it does not know against a hash it made
	 * itself, so that an unknown name costs what a known one does; at its default cost
	 * (10) an unknown name would cost many times a known one hashed at 4, which tells
	 * names apart and makes unknown names the cheapest way to load both cores.
	 */
	public static PasswordEncoder passwordEncoder(SecurityProperties properties) {
		int cost = properties.users()
			.stream()
			.map((user) -> BCRYPT_COST.matcher(user.passwordHash()))
			.filter(java.util.regex.Matcher::find)
			.mapToInt((matcher) -> Integer.parseInt(matcher.group(1)))
			.max()
			.orElse(10);
		Map<String, PasswordEncoder> encoders = new HashMap<>();
		encoders.put("bcrypt", new BCryptPasswordEncoder(cost));
		// other hashes Spring Security knows, for users configured with them
		encoders.put("pbkdf2", Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8());
		encoders.put("pbkdf2@SpringSecurity_v5_8", Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8());
		DelegatingPasswordEncoder encoder = new DelegatingPasswordEncoder("bcrypt", encoders);
		return encoder;
	}

	private static final java.util.regex.Pattern BCRYPT_COST = java.util.regex.Pattern
		.compile("^(?:\\{bcrypt\\})?\\$2[aby]?\\$(\\d{2})\\$");

	static Converter<Jwt, AbstractAuthenticationToken> jwtConverter(SecurityProperties.Jwt settings) {
		return (jwt) -> new JwtAuthenticationToken(jwt, roles(jwt.getClaim(settings.rolesClaim())),
				jwt.getClaimAsString(settings.principalClaim()));
	}

	/**
	 * Roles from a token's claim: a list of names or one space-separated string, each
	 * becoming {@code ROLE_<name>}.
	 */
	public static List<GrantedAuthority> roles(Object claim) {
		Stream<String> names;
		if (claim instanceof Collection<?> values) {
			names = values.stream().map(String::valueOf);
		}
		else if (claim instanceof String value) {
			names = Stream.of(value.split("\\s+"));
		}
		else {
			names = Stream.empty();
		}
		List<GrantedAuthority> authorities = names.filter((name) -> !name.isBlank())
			.map((name) -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + name))
			.toList();
		return authorities;
	}

}
