package dev.trustledger.command.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.trustledger.command.CommandServiceApplication;
import dev.trustledger.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Production's authentication, selected by configuration alone: bearer JWTs checked
 * against the identity provider's public key, roles and the principal's name taken from
 * configurable claims.
 */
class JwtSecurityIT {

	private static final ObjectMapper json = new ObjectMapper();

	@TempDir
	static Path dataDir;

	static EmbeddedInfrastructure infra;

	static ConfigurableApplicationContext service;

	static KeyPair keys;

	static final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void start() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		keys = generator.generateKeyPair();
		Path publicKey = dataDir.resolve("issuer.pub");
		Files.writeString(publicKey,
				"-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
						+ "\n-----END PUBLIC KEY-----\n");
		infra = new EmbeddedInfrastructure(EmbeddedInfrastructure.Settings.onFreePorts(dataDir)).start();
		service = new SpringApplicationBuilder(CommandServiceApplication.class).run("--server.port=0",
				"--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
				"--spring.datasource.url=" + infra.postgresJdbcUrl(),
				"--spring.datasource.password=" + infra.postgresPassword(), "--trustledger.security.mode=jwt",
				"--trustledger.security.jwt.roles-claim=groups",
				"--trustledger.security.jwt.principal-claim=preferred_username",
				"--spring.security.oauth2.resourceserver.jwt.public-key-location=" + publicKey.toUri());
	}

	@AfterAll
	static void stop() {
		service.close();
		infra.close();
	}

	@Test
	void aTokenWithAnAccountTeamRoleRecordsUnderItsUserName() throws Exception {
		HttpResponse<String> response = open("jwt-engagement", token("carol", List.of("ACCOUNT_TEAM"), 300));

		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(infra.storedEvents().of("jwt-engagement").get(0).payload()).contains("\"recordedBy\":\"carol\"");
	}

	@Test
	void aTokenWithoutAWritingRoleIsForbidden() throws Exception {
		HttpResponse<String> response = open("jwt-forbidden", token("dave", List.of("ANALYST"), 300));

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(json.readTree(response.body()).path("code").asText()).isEqualTo("forbidden");
	}

	@Test
	void anExpiredOrForgedTokenIsUnauthenticatedAndNotEchoed() throws Exception {
		String expired = token("carol", List.of("ACCOUNT_TEAM"), -300);
		String forged = token("carol", List.of("ADMIN"), 300).replaceFirst("\\.[^.]+$", ".c2lnbmF0dXJl");

		for (String token : List.of(expired, forged)) {
			HttpResponse<String> response = open("jwt-rejected", token);
			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer"));
			JsonNode problem = json.readTree(response.body());
			assertThat(problem.path("code").asText()).isEqualTo("unauthenticated");
			assertThat(response.body()).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
		}
	}

	private static HttpResponse<String> open(String id, String token) throws Exception {
		String port = service.getEnvironment().getProperty("local.server.port");
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/engagements"))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + token)
			.POST(HttpRequest.BodyPublishers.ofString("""
					{"engagementId": "%s", "clientName": "Token Client", "accountTeam": "Team", "deliveryLead": "Lead",
					 "openedAt": "2026-01-01T00:00:00Z"}""".formatted(id)))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String token(String user, List<String> groups, long validForSeconds) throws Exception {
		Instant now = Instant.now();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256),
				new JWTClaimsSet.Builder().subject("id-" + user)
					.claim("preferred_username", user)
					.claim("groups", groups)
					.issueTime(Date.from(now.minusSeconds(600)))
					.expirationTime(Date.from(now.plusSeconds(validForSeconds)))
					.build());
		jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
		return jwt.serialize();
	}

}
