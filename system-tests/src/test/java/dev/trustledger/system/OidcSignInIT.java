package dev.trustledger.system;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.infra.Ports;
import dev.trustledger.infra.StoredEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jwt} mode end to end against a real OpenID Connect provider (Spring
 * Authorization Server, in this JVM): the dashboard signs a user in with the
 * authorization code flow and PKCE, takes roles and name from the ID token, and records
 * an incident on the command service with the user's own access token, which the command
 * service validates against the same provider. Nothing of the user's password passes
 * through Trust Ledger.
 */
class OidcSignInIT {

	@TempDir
	static Path dataDir;

	static ConfigurableApplicationContext provider;

	static SystemUnderTest system;

	static URI issuer;

	@BeforeAll
	static void start() {
		int[] ports = Ports.freePorts(2);
		// localhost for the provider, 127.0.0.1 for the dashboard: cookies are kept per
		// host, not per port, and each has a session of its own
		issuer = URI.create("http://localhost:" + ports[0]);
		provider = new SpringApplicationBuilder(OidcProvider.class)
			.properties("spring.config.name=oidc-provider", "server.port=" + ports[0], "issuer=" + issuer,
					"dashboard.redirect-uri=http://127.0.0.1:" + ports[1] + "/login/oauth2/code/trustledger",
					"spring.main.banner-mode=off")
			.run();
		String registration = "--spring.security.oauth2.client.registration.trustledger.";
		system = new SystemUnderTest("oidc", dataDir)
			.withServiceArgs(List.of("--trustledger.security.mode=jwt",
					"--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer,
					registration + "client-id=" + OidcProvider.CLIENT,
					registration + "client-secret=" + OidcProvider.SECRET, registration + "scope=openid",
					registration + "authorization-grant-type=authorization_code",
					registration + "redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
					"--spring.security.oauth2.client.provider.trustledger.issuer-uri=" + issuer))
			.queryPort(ports[1])
			.start();
	}

	@AfterAll
	static void stop() {
		if (system != null) {
			system.close();
		}
		if (provider != null) {
			provider.close();
		}
	}

	@Test
	void aUserSignsInThroughTheProviderWithPkceAndRecordsWithTheirOwnToken() throws Exception {
		String engagement = "oidc-" + UUID.randomUUID().toString().substring(0, 8);
		HttpResponse<String> opened = send(HttpClient.newHttpClient(), HttpRequest
			.newBuilder(system.commandService().baseUri().resolve("/api/engagements"))
			.header("Authorization", "Bearer " + scriptToken())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("""
					{"engagementId": "%s", "clientName": "OIDC Client", "accountTeam": "Team", "deliveryLead": "Lead",
					 "openedAt": "2026-01-01T00:00:00Z"}""".formatted(engagement))));
		assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);

		CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
		HttpClient browser = HttpClient.newBuilder()
			.cookieHandler(cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		URI dashboard = system.queryService().baseUri();
		// a page sends the visitor to the provider, with a PKCE challenge
		URI next = redirect(page(browser, dashboard.resolve("/")));
		assertThat(next.getPath()).isEqualTo("/oauth2/authorization/trustledger");
		URI authorize = redirect(page(browser, dashboard.resolve(next)));
		assertThat(authorize.toString()).startsWith(issuer + "/oauth2/authorize")
			.contains("code_challenge=")
			.contains("code_challenge_method=S256");
		// the provider asks the user to sign in, on its own page
		URI login = redirect(page(browser, authorize));
		HttpResponse<String> loginPage = page(browser, login);
		Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(loginPage.body());
		assertThat(csrf.find()).as(loginPage.body()).isTrue();
		HttpResponse<String> signedIn = send(browser,
				HttpRequest.newBuilder(login)
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("username=" + OidcProvider.USER + "&password="
							+ URLEncoder.encode(OidcProvider.PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
							+ csrf.group(1))));
		// back to the authorization, which answers the dashboard with a code
		URI callback = redirect(page(browser, redirect(signedIn)));
		assertThat(callback.toString()).startsWith(dashboard.resolve("/login/oauth2/code/trustledger") + "?code=");
		// the dashboard redeems it (with the PKCE verifier) and the user is in
		URI home = redirect(page(browser, callback));
		assertThat(home.getPath()).isEqualTo("/");
		JsonNode me = SystemUnderTest.parse(page(browser, dashboard.resolve("/api/me")).body());
		assertThat(me.path("name").asText()).isEqualTo(OidcProvider.USER);
		assertThat(me.path("roles")).extracting(JsonNode::asText).containsExactly("ACCOUNT_TEAM");
		assertThat(me.path("mayRecord").asBoolean()).isTrue();

		String xsrf = cookies.getCookieStore()
			.get(dashboard)
			.stream()
			.filter((cookie) -> cookie.getName().equals("XSRF-TOKEN"))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElseThrow();
		HttpResponse<String> recorded = send(browser,
				HttpRequest.newBuilder(dashboard.resolve("/dashboard/engagements/" + engagement + "/incidents"))
					.header("Content-Type", "application/json")
					.header("X-XSRF-TOKEN", xsrf)
					.POST(HttpRequest.BodyPublishers.ofString("""
							{"incidentId": "%s", "type": "PROMISE_BROKEN", "party": "CLIENT", "severity": 2,
							 "occurredAt": "2026-02-01T00:00:00Z"}""".formatted(UUID.randomUUID()))));
		assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
		List<StoredEvents.Row> stored = system.storedEvents().of(engagement);
		assertThat(stored).hasSize(2);
		assertThat(stored.get(1).payload()).contains("\"recordedBy\":\"" + OidcProvider.USER + "\"");
	}

	/** A page as a browser asks for it. */
	private static HttpResponse<String> page(HttpClient browser, URI uri) throws Exception {
		return send(browser,
				HttpRequest.newBuilder(uri)
					.header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
					.GET());
	}

	private static URI redirect(HttpResponse<String> response) {
		assertThat(response.statusCode()).as("%s %s", response.uri(), response.body()).isBetween(300, 399);
		return response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
	}

	/** An access token of the script client, for setting up what the test needs. */
	private static String scriptToken() throws Exception {
		HttpResponse<String> token = send(HttpClient.newHttpClient(),
				HttpRequest.newBuilder(issuer.resolve("/oauth2/token"))
					.header("Authorization",
							"Basic " + Base64.getEncoder()
								.encodeToString((OidcProvider.SCRIPT + ":" + OidcProvider.SCRIPT_SECRET)
									.getBytes(StandardCharsets.UTF_8)))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		return SystemUnderTest.parse(token.body()).path("access_token").asText();
	}

	private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
