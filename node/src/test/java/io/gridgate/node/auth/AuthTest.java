package io.gridgate.node.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Authentication and authorization through real HTTP: tokens, API keys, identity headers. */
class AuthTest {

    private static final String SECRET = "a-shared-secret-of-at-least-32-bytes!!";
    private static final String API_KEY = "k_live_7c1e9a2b4d6f8a0c";

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicInteger upstreamRequests = new AtomicInteger();
    private final Map<String, String> seenHeaders = new ConcurrentHashMap<>();
    private TestUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        upstream = TestUpstream.start(exchange -> {
            upstreamRequests.incrementAndGet();
            exchange.getRequestHeaders().forEach(values ->
                    seenHeaders.put(values.getHeaderName().toString().toLowerCase(), values.getFirst()));
            exchange.getResponseSender().send("ok");
        });
        gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 5s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                auth:
                  jwt:
                    - id: corp
                      keys: [{algorithm: HS256, secret: "%s"}]
                      issuer: https://id.example.com
                      audience: [api]
                  consumers:
                    - {id: mobile-app, apiKeys: ["%s"], scopes: [orders:read]}
                  identityHeaders:
                    claims: {tenant: X-Auth-Tenant}
                routes:
                  - id: orders
                    match: {pathPrefix: /orders}
                    upstream: %s
                    auth:
                      methods: [jwt:corp, apiKey]
                      scopes: {allOf: [orders:read]}
                  - id: admin
                    match: {pathPrefix: /admin}
                    upstream: %s
                    auth:
                      methods: [jwt:corp]
                      roles: {anyOf: [admin]}
                  - id: public
                    match: {pathPrefix: /public}
                    upstream: %s
                """.formatted(SECRET, API_KEY, upstream.url(), upstream.url(), upstream.url()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private static String token(String scope, List<String> roles, Instant expires) {
        return JWT.create().withIssuer("https://id.example.com").withAudience("api").withSubject("alice")
                .withClaim("scope", scope).withClaim("roles", roles).withClaim("tenant", "acme")
                .withExpiresAt(expires).sign(Algorithm.HMAC256(SECRET));
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aValidTokenReachesTheUpstreamWithTheIdentityHeaders() throws Exception {
        String token = token("orders:read orders:write", List.of(), Instant.now().plusSeconds(60));

        HttpResponse<String> response = get("/orders/7", "Authorization", "Bearer " + token);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(seenHeaders).containsEntry("x-consumer-id", "alice")
                .containsEntry("x-auth-subject", "alice")
                .containsEntry("x-auth-tenant", "acme");
    }

    @Test
    void aMissingTokenGets401WithABearerChallengeAndNothingReachesTheUpstream() throws Exception {
        HttpResponse<String> response = get("/orders/7");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue(Headers.WWW_AUTHENTICATE_STRING).orElseThrow())
                .startsWith("Bearer").contains("error=\"invalid_token\"");
        assertThat(response.body()).contains("\"error\":\"unauthorized\"");
        assertThat(upstreamRequests).hasValue(0);
    }

    @Test
    void anExpiredTokenGets401() throws Exception {
        String token = token("orders:read", List.of(), Instant.now().minusSeconds(600));

        HttpResponse<String> response = get("/orders/7", "Authorization", "Bearer " + token);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(upstreamRequests).hasValue(0);
    }

    @Test
    void aTokenWithoutTheRequiredScopeGets403() throws Exception {
        String token = token("orders:write", List.of(), Instant.now().plusSeconds(60));

        HttpResponse<String> response = get("/orders/7", "Authorization", "Bearer " + token);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("\"error\":\"forbidden\"").contains("orders:read");
        assertThat(upstreamRequests).hasValue(0);
    }

    @Test
    void aRoleRuleAdmitsOnlyTheRole() throws Exception {
        Instant later = Instant.now().plusSeconds(60);
        assertThat(get("/admin/x", "Authorization", "Bearer " + token("", List.of("viewer"), later)).statusCode()).isEqualTo(403);
        assertThat(get("/admin/x", "Authorization", "Bearer " + token("", List.of("admin"), later)).statusCode()).isEqualTo(200);
    }

    @Test
    void anApiKeyOfAConsumerIsAcceptedAndNamesTheConsumer() throws Exception {
        HttpResponse<String> response = get("/orders/7", "X-API-Key", API_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(seenHeaders).containsEntry("x-consumer-id", "mobile-app").doesNotContainKey("x-auth-subject");
    }

    @Test
    void anUnknownApiKeyGets401() throws Exception {
        assertThat(get("/orders/7", "X-API-Key", "k_live_not_a_real_key_").statusCode()).isEqualTo(401);
        assertThat(upstreamRequests).hasValue(0);
    }

    @Test
    void identityHeadersFromTheClientAreRemovedEvenOnOpenRoutes() throws Exception {
        HttpResponse<String> response = get("/public/x", "X-Consumer-Id", "root", "X-Auth-Subject", "root",
                "X-Auth-Tenant", "evil");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(seenHeaders).doesNotContainKeys("x-consumer-id", "x-auth-subject", "x-auth-tenant");
    }

    @Test
    void anUnderscoreSpellingOfAnIdentityHeaderNeverReachesTheUpstream() throws Exception {
        // CGI-style upstreams read X_Consumer_Id and X-Consumer-Id as the same variable.
        HttpResponse<String> response = get("/public/x", "X_Consumer_Id", "root", "X_Auth_Subject", "root");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(seenHeaders).doesNotContainKeys("x_consumer_id", "x_auth_subject");
    }

    @Test
    void aSpoofedConsumerHeaderCannotReplaceTheVerifiedOne() throws Exception {
        HttpResponse<String> response = get("/orders/7", "X-API-Key", API_KEY, "X-Consumer-Id", "someone-else");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(seenHeaders).containsEntry("x-consumer-id", "mobile-app");
    }

    @Test
    void aBasicAuthorizationHeaderIsNoBearerToken() throws Exception {
        assertThat(get("/orders/7", "Authorization", "Basic YWxpY2U6c2VjcmV0").statusCode()).isEqualTo(401);
    }
}
