package io.gridgate.node.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Rate limits keyed by the authenticated consumer and by a token claim. */
class ConsumerRateLimitTest {

    private static final String SECRET = "a-shared-secret-of-at-least-32-bytes!!";
    private static final String MOBILE_KEY = "k_live_mobile_0123456789";
    private static final String WEB_KEY = "k_live_web_0123456789ab";

    private final HttpClient client = HttpClient.newHttpClient();
    private final TestUpstream upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("ok"));
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private void start(String key) {
        gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 5s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                auth:
                  jwt:
                    - id: corp
                      keys: [{algorithm: HS256, secret: "%s"}]
                  consumers:
                    - {id: mobile-app, apiKeys: ["%s"]}
                    - {id: web-app, apiKeys: ["%s"]}
                routes:
                  - id: api
                    match: {pathPrefix: /api}
                    upstream: %s
                    auth: {methods: [apiKey, jwt:corp]}
                    rateLimits:
                      - id: per-consumer
                        key: %s
                        limits: [{permits: 2, per: 1h}]
                """.formatted(SECRET, MOBILE_KEY, WEB_KEY, upstream.url(), key));
    }

    private int get(String header, String value) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gateway.uri("/api/items")).header(header, value).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String token(String subject, String tenant) {
        return "Bearer " + JWT.create().withSubject(subject).withClaim("tenant", tenant)
                .withExpiresAt(Instant.now().plusSeconds(600)).sign(Algorithm.HMAC256(SECRET));
    }

    @Test
    void eachConsumerHasItsOwnBudgetWhateverItsClientAddress() throws Exception {
        start("[consumer]");

        assertThat(get("X-API-Key", MOBILE_KEY)).isEqualTo(200);
        assertThat(get("X-API-Key", MOBILE_KEY)).isEqualTo(200);
        assertThat(get("X-API-Key", MOBILE_KEY)).isEqualTo(429);
        assertThat(get("X-API-Key", WEB_KEY)).isEqualTo(200);
        // The token's subject is its consumer: a different budget again.
        assertThat(get("Authorization", token("alice", "acme"))).isEqualTo(200);
    }

    @Test
    void aClaimKeySharesOneBudgetAmongAllSubjectsOfATenant() throws Exception {
        start("[\"claim:tenant\"]");

        assertThat(get("Authorization", token("alice", "acme"))).isEqualTo(200);
        assertThat(get("Authorization", token("bob", "acme"))).isEqualTo(200);
        assertThat(get("Authorization", token("carol", "acme"))).isEqualTo(429);
        assertThat(get("Authorization", token("dave", "globex"))).isEqualTo(200);
    }
}
