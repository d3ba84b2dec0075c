package io.gridgate.node.ratelimit;

import io.gridgate.node.testing.TestCluster;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Rate limits through real HTTP, on one node and across several. */
class RateLimitTest {

    private final TestUpstream upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("ok"));
    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
        upstream.close();
    }

    private TestCluster start(int nodes, String policy) {
        cluster = TestCluster.withRoutes(nodes, """
                - id: api
                  match: {pathPrefix: /api}
                  upstream: %s
                  rateLimits:
                %s
                """.formatted(upstream.url(), policy.stripIndent().indent(4)));
        return cluster;
    }

    private HttpResponse<String> get(int node, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(cluster.uri(node, "/api/items"));
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        return cluster.send(request.build());
    }

    @Test
    void admitsTheLimitThenAnswers429WithRetryAfterAndRateLimitHeaders() {
        start(1, """
                - id: per-client
                  key: [clientIp]
                  limits: [{permits: 3, per: 1h}]
                  legacyHeaders: true
                """);

        List<HttpResponse<String>> admitted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            admitted.add(get(0, null));
        }
        HttpResponse<String> refused = get(0, null);

        assertThat(admitted).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
        assertThat(admitted.get(0).headers().firstValue("ratelimit-policy")).hasValue("\"per-client\";q=3;w=3600");
        assertThat(admitted.get(0).headers().firstValue("ratelimit")).hasValueSatisfying(
                value -> assertThat(value).startsWith("\"per-client\";r=2;t="));
        assertThat(admitted.get(2).headers().firstValue("x-ratelimit-remaining")).hasValue("0");
        assertThat(admitted.get(2).headers().firstValue("x-ratelimit-limit")).hasValue("3");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(refused.body()).contains("\"error\":\"rate_limited\"", "rate limit per-client exceeded: 3 per 1h");
        assertThat(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 1200L);
        assertThat(refused.headers().firstValue("ratelimit")).hasValueSatisfying(
                value -> assertThat(value).startsWith("\"per-client\";r=0;t="));
    }

    @Test
    void eachApiKeyHasItsOwnCounter() {
        start(1, """
                - id: per-key
                  key: ["header:X-Api-Key"]
                  limits: [{permits: 2, per: 1h}]
                """);

        assertThat(get(0, "alpha").statusCode()).isEqualTo(200);
        assertThat(get(0, "alpha").statusCode()).isEqualTo(200);
        assertThat(get(0, "alpha").statusCode()).isEqualTo(429);
        assertThat(get(0, "beta").statusCode()).isEqualTo(200);
        assertThat(get(0, null).statusCode()).isEqualTo(200);
        assertThat(get(0, null).statusCode()).isEqualTo(200);
        assertThat(get(0, null).statusCode()).as("no header is one more key, not a way around the limit").isEqualTo(429);
    }

    @Test
    void exactModeAdmitsExactlyTheLimitToClientsOnThreeNodes() throws Exception {
        start(3, """
                - id: global
                  limits: [{permits: 100, per: 1h}]
                  gridTimeout: 5s
                  onGridError: deny
                """);
        cluster.awaitSafeState();

        assertThat(admittedBy(3, 100)).isEqualTo(100);
    }

    @Test
    void leasedModeNeverAdmitsMoreThanTheLimitAcrossThreeNodes() throws Exception {
        start(3, """
                - id: global
                  limits: [{permits: 100, per: 1h}]
                  mode: leased
                  leaseSize: 10
                  gridTimeout: 5s
                  onGridError: deny
                """);
        cluster.awaitSafeState();

        int admitted = admittedBy(3, 100);

        assertThat(admitted).isLessThanOrEqualTo(100).isGreaterThanOrEqualTo(100 - 3 * 10);
    }

    /**
     * Three clients at once, one per node, each sending {@code each} requests. The policies wait up
     * to 5 s for the grid and refuse if it does not answer, so a slow grid (three members on two
     * cores) shows as a failure here, never as a silently admitted request.
     */
    private int admittedBy(int nodes, int each) throws Exception {
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int node = 0; node < nodes; node++) {
            int n = node;
            clients.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < each; i++) {
                    int status = get(n, null).statusCode();
                    assertThat(status).isIn(200, 429);
                    if (status == 200) {
                        admitted.incrementAndGet();
                    }
                }
            }));
        }
        start.countDown();
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();
        return admitted.get();
    }

    @Test
    void twoRoutesUsingOneNamedPolicyOnTwoNodesSpendOneBudgetUnlessItsKeyNamesTheRoute() {
        cluster = TestCluster.start(2, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                accessLog: {enabled: false}
                policies:
                  standard: {rateLimit: {key: [clientIp], limits: [{permits: 3, per: 1h}], gridTimeout: 5s}}
                  per-route: {rateLimit: {key: [route, clientIp], limits: [{permits: 1, per: 1h}], gridTimeout: 5s}}
                routes:
                  - {id: items, match: {pathPrefix: /items}, upstream: "%1$s", rateLimits: [{policy: standard}]}
                  - {id: orders, match: {pathPrefix: /orders}, upstream: "%1$s", rateLimits: [{policy: standard}]}
                  - {id: carts, match: {pathPrefix: /carts}, upstream: "%1$s", rateLimits: [{policy: per-route}]}
                  - {id: users, match: {pathPrefix: /users}, upstream: "%1$s", rateLimits: [{policy: per-route}]}
                """.formatted(upstream.url()));

        assertThat(cluster.get(0, "/items/1").statusCode()).isEqualTo(200);
        assertThat(cluster.get(1, "/orders/1").statusCode()).isEqualTo(200);
        assertThat(cluster.get(1, "/items/1").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = cluster.get(0, "/orders/1");
        assertThat(refused.statusCode()).as("the third request spent the budget both routes share").isEqualTo(429);
        assertThat(refused.body()).contains("rate limit standard exceeded: 3 per 1h");
        assertThat(cluster.get(1, "/items/1").statusCode()).isEqualTo(429);

        assertThat(cluster.get(0, "/carts/1").statusCode()).isEqualTo(200);
        assertThat(cluster.get(1, "/users/1").statusCode()).as("key [route, ...]: a budget per route").isEqualTo(200);
        assertThat(cluster.get(1, "/carts/1").statusCode()).isEqualTo(429);
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnCounter() {
        upstream.close();
        cluster = TestCluster.start(1, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s, trustedProxies: [127.0.0.0/8]}
                admin: {bindAddress: 127.0.0.1, port: 0}
                routes:
                  - id: api
                    match: {pathPrefix: /api}
                    upstream: http://127.0.0.1:9
                    rateLimits: [{id: per-client, key: [clientIp], limits: [{permits: 1, per: 1h}]}]
                """);

        assertThat(forwardedFor("198.51.100.1").statusCode()).isNotEqualTo(429);
        assertThat(forwardedFor("198.51.100.1").statusCode()).isEqualTo(429);
        assertThat(forwardedFor("198.51.100.2").statusCode()).isNotEqualTo(429);
        assertThat(forwardedFor("6.6.6.6, 198.51.100.2").statusCode())
                .as("a forged hop left of the real client changes nothing").isEqualTo(429);
    }

    private HttpResponse<String> forwardedFor(String chain) {
        return cluster.send(HttpRequest.newBuilder(cluster.uri(0, "/api/x")).header("X-Forwarded-For", chain).build());
    }
}
