package io.gridgate.node.resilience;

import io.gridgate.node.testing.FaultyUpstream;
import io.gridgate.node.testing.FaultyUpstream.Mode;
import io.gridgate.node.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One node's circuit breaker through real HTTP: tripping, refusing, falling back, probing, closing. */
class CircuitBreakerTest {

    /** Opens once four calls are in the window and half of them failed; no retries, no ejections. */
    private static final String SERVICE = """
            outlierDetection: {consecutiveFailures: 0}
            circuitBreaker: {windowSize: 4, minimumCalls: 4, failureRate: 50, waitInOpen: %s, halfOpenCalls: 1}
            """;

    private final List<FaultyUpstream> upstreams = new ArrayList<>();
    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
        upstreams.forEach(FaultyUpstream::close);
    }

    private FaultyUpstream upstream(Mode mode) {
        FaultyUpstream upstream = FaultyUpstream.start(mode);
        upstreams.add(upstream);
        return upstream;
    }

    /** One node whose route {@code /orders} goes to the service {@code orders}, served by {@code instance}. */
    private void start(FaultyUpstream instance, String waitInOpen, String moreRoutes) {
        cluster = TestCluster.start(1, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, registrationToken: %s}
                services:
                  orders:
                %s
                routes:
                %s
                """.formatted(TestCluster.TOKEN, SERVICE.formatted(waitInOpen).indent(4), moreRoutes.stripIndent().indent(2)));
        assertThat(cluster.register(0, "orders", "orders-1", instance.instanceJson()).statusCode()).isEqualTo(201);
        await().until(() -> cluster.node(0).grid().registry().instances("orders").size() == 1);
    }

    private static String ordersRoute(String settings) {
        return """
                - id: orders
                  match: {pathPrefix: /orders}
                  upstream: "service:orders"
                  retry: {attempts: 1}
                %s
                """.formatted(settings.stripIndent().indent(2));
    }

    /** Sends the four failing calls that open the breaker; each is the upstream's own 500. */
    private void trip(FaultyUpstream upstream) {
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = cluster.get(0, "/orders/" + i);
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).isEqualTo("broken");
        }
        assertThat(upstream.requests()).isEqualTo(4);
    }

    private String state() {
        return cluster.node(0).breakers().find("orders").orElseThrow().state();
    }

    @Test
    void opensAfterEnoughFailuresAndAnswers503CircuitOpenWithoutCallingTheUpstream() {
        FaultyUpstream upstream = upstream(Mode.answer(500, "broken"));
        start(upstream, "30s", ordersRoute(""));
        assertThat(state()).isEqualTo("CLOSED");

        trip(upstream);

        assertThat(state()).isEqualTo("OPEN");
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> refused = cluster.get(0, "/orders/" + i);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(refused.body()).startsWith("{\"status\":503,\"error\":\"circuit_open\"").contains("orders");
            assertThat(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow()))
                    .as("seconds left of waitInOpen: 30s").isBetween(29L, 30L);
        }
        assertThat(upstream.requests()).as("an open breaker sends nothing upstream").isEqualTo(4);
    }

    @Test
    void servesTheRoutesFixedFallbackWhileOpen() {
        FaultyUpstream upstream = upstream(Mode.answer(500, "broken"));
        start(upstream, "30s", ordersRoute("""
                fallback:
                  status: 200
                  headers: {Content-Type: application/json, X-Fallback: "true"}
                  body: '{"items": []}'
                """));

        trip(upstream);
        HttpResponse<String> response = cluster.get(0, "/orders/7");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.headers().firstValue("x-fallback")).hasValue("true");
        assertThat(response.body()).isEqualTo("{\"items\": []}");
        assertThat(upstream.requests()).isEqualTo(4);
    }

    @Test
    void sendsTheRequestToTheFallbackRoutesUpstreamWhileOpen() {
        FaultyUpstream upstream = upstream(Mode.answer(500, "broken"));
        FaultyUpstream spare = upstream(Mode.answer(200, "from the spare"));
        start(upstream, "30s", ordersRoute("fallback: {route: spare}") + """
                - id: spare
                  match: {pathPrefix: /spare}
                  upstream: %s
                """.formatted(spare.url()));

        trip(upstream);
        HttpResponse<String> response = cluster.get(0, "/orders/7?x=1");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("from the spare");
        assertThat(spare.requests()).isEqualTo(1);
        assertThat(spare.received().get(0).target()).isEqualTo("/orders/7?x=1");
        assertThat(upstream.requests()).isEqualTo(4);
    }

    @Test
    void letsAProbeThroughAfterWaitInOpenAndClosesWhenTheUpstreamHasRecovered() {
        FaultyUpstream upstream = upstream(Mode.answer(500, "broken"));
        start(upstream, "500ms", ordersRoute(""));
        long tripped = System.nanoTime();
        trip(upstream);
        assertThat(cluster.get(0, "/orders").body()).contains("\"error\":\"circuit_open\"");

        upstream.mode(Mode.answer(200, "recovered"));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> cluster.get(0, "/orders").statusCode() == 200);
        long recovered = System.nanoTime();

        assertThat(Duration.ofNanos(recovered - tripped)).as("open for at least waitInOpen")
                .isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(upstream.requests()).as("four failures and one probe").isEqualTo(5);
        assertThat(state()).isEqualTo("CLOSED");
        for (int i = 0; i < 5; i++) {
            assertThat(cluster.get(0, "/orders").body()).isEqualTo("recovered");
        }
        assertThat(upstream.requests()).isEqualTo(10);
    }

    @Test
    void opensAgainWhenTheProbeFails() {
        FaultyUpstream upstream = upstream(Mode.answer(500, "broken"));
        start(upstream, "500ms", ordersRoute(""));
        trip(upstream);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> cluster.get(0, "/orders").statusCode() == 500);

        assertThat(upstream.requests()).as("four failures and one probe").isEqualTo(5);
        assertThat(state()).isEqualTo("OPEN");
        assertThat(cluster.get(0, "/orders").body()).contains("\"error\":\"circuit_open\"");
        assertThat(upstream.requests()).isEqualTo(5);
    }
}
