package dev.trustledger.query.dashboard;

import java.util.List;

import dev.trustledger.support.security.SecurityProperties;
import dev.trustledger.support.security.TrustLedgerSecurity;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * Signing in to the dashboard through OpenID Connect, in {@code jwt} mode: the
 * authorization code flow with PKCE against the provider registered as
 * {@value #REGISTRATION}
 * ({@code spring.security.oauth2.client.registration.trustledger.*} and
 * {@code spring.security.oauth2.client.provider.trustledger.issuer-uri}). Roles and the
 * user's name come from the ID token's claims, named as for bearer tokens
 * ({@code trustledger.security.jwt.roles-claim}, {@code .principal-claim}). The dashboard
 * records with the user's own access token, refreshed when it expires; no password passes
 * through the dashboard at all.
 */
public final class OidcSignIn {

	static final String REGISTRATION = "trustledger";

	public static final String LOGIN_PAGE = "/oauth2/authorization/" + REGISTRATION;

	private final ClientRegistrationRepository clients;

	private final OAuth2AuthorizedClientManager authorizedClients;

	private final SecurityProperties.Jwt claims;

	OidcSignIn(ClientRegistrationRepository clients, OAuth2AuthorizedClientRepository authorizedClients,
			SecurityProperties.Jwt claims) {
		this.clients = clients;
		DefaultOAuth2AuthorizedClientManager manager = new DefaultOAuth2AuthorizedClientManager(clients,
				authorizedClients);
		manager.setAuthorizedClientProvider(
				OAuth2AuthorizedClientProviderBuilder.builder().authorizationCode().refreshToken().build());
		this.authorizedClients = manager;
		this.claims = claims;
	}

	/** The sign-in, for {@code BrowserSignIn}. */
	public Customizer<HttpSecurity> signIn(AuthenticationSuccessHandler onSignIn) {
		DefaultOAuth2AuthorizationRequestResolver resolver = new DefaultOAuth2AuthorizationRequestResolver(this.clients,
				"/oauth2/authorization");
		// PKCE for every client, confidential ones too
		resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
		return (http) -> {
			try {
				http.oauth2Login((login) -> login.loginPage(LOGIN_PAGE)
					.authorizationEndpoint((endpoint) -> endpoint.authorizationRequestResolver(resolver))
					.userInfoEndpoint((userInfo) -> userInfo.oidcUserService(users()))
					.successHandler(onSignIn)
					.permitAll());
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		};
	}

	/** The signed-in user, with roles and name from the ID token's claims. */
	private OAuth2UserService<OidcUserRequest, OidcUser> users() {
		OidcUserService delegate = new OidcUserService();
		return (request) -> {
			OidcUser user = delegate.loadUser(request);
			List<GrantedAuthority> roles = TrustLedgerSecurity.roles(user.getClaims().get(this.claims.rolesClaim()));
			return new DefaultOidcUser(roles, user.getIdToken(), user.getUserInfo(), this.claims.principalClaim());
		};
	}

	/**
	 * The user's access token, as {@code Bearer …}, refreshed first if it has expired;
	 * {@code null} when the request was not signed in through OpenID Connect.
	 */
	String accessToken(Authentication authentication, HttpServletRequest request) {
		if (!(authentication instanceof OAuth2AuthenticationToken oauth)) {
			return null;
		}
		OAuth2AuthorizedClient client = this.authorizedClients
			.authorize(OAuth2AuthorizeRequest.withClientRegistrationId(oauth.getAuthorizedClientRegistrationId())
				.principal(oauth)
				.attribute(HttpServletRequest.class.getName(), request)
				.build());
		return (client != null) ? "Bearer " + client.getAccessToken().getTokenValue() : null;
	}

}
