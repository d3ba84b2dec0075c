package io.gridgate.node.resilience;

import io.gridgate.node.testing.FaultyUpstream;
import io.gridgate.node.testing.FaultyUpstream.Mode;
import io.gridgate.node.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A trip on one node opens the breaker of the same upstream on the others, through the grid. */
class BreakerSharingTest {

    private final FaultyUpstream upstream = FaultyUpstream.start(Mode.answer(500, "broken"));
    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
        upstream.close();
    }

    private static boolean circuitOpen(HttpResponse<String> response) {
        return response.statusCode() == 503 && response.body().contains("\"error\":\"circuit_open\"");
    }

    /** Three nodes routing {@code /orders} to the service {@code orders}, served by the failing upstream. */
    private void start(String waitInOpen) {
        cluster = TestCluster.start(3, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, registrationToken: %s}
                services:
                  orders:
                    outlierDetection: {consecutiveFailures: 0}
                    circuitBreaker: {windowSize: 4, minimumCalls: 4, failureRate: 50, waitInOpen: %s, halfOpenCalls: 1, probeJitter: 0s}
                routes:
                  - {id: orders, match: {pathPrefix: /orders}, upstream: "service:orders", retry: {attempts: 1}}
                """.formatted(TestCluster.TOKEN, waitInOpen));
        cluster.awaitSafeState();
        cluster.register(0, "orders", "orders-1", upstream.instanceJson());
        for (int node = 0; node < 3; node++) {
            int n = node;
            await().until(() -> cluster.node(n).grid().registry().instances("orders").size() == 1);
        }
    }

    @Test
    void aTripOnOneNodeOpensTheBreakerOnTheOtherTwoWithinHalfASecond() {
        start("30s");
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.get(0, "/orders").statusCode()).isEqualTo(500);
        }

        long trippingRequestSent = System.nanoTime();
        assertThat(cluster.get(0, "/orders").statusCode()).as("the fourth failure opens node 1's breaker").isEqualTo(500);
        // From here on the upstream answers 200: a call that reaches it through node 2 or 3 is a
        // success there, so their breakers can only open because node 1 told them to.
        upstream.mode(Mode.answer(200, "fine"));
        HttpResponse<String> first = cluster.get(0, "/orders");
        long firstRefusal = System.nanoTime();
        assertThat(circuitOpen(first)).as(first.body()).isTrue();

        long[] openAt = new long[3];
        int[] passedThrough = new int[3];
        while (openAt[1] == 0 || openAt[2] == 0) {
            for (int node = 1; node < 3; node++) {
                if (openAt[node] != 0) {
                    continue;
                }
                HttpResponse<String> response = cluster.get(node, "/orders");
                if (circuitOpen(response)) {
                    openAt[node] = System.nanoTime();
                } else {
                    assertThat(response.body()).isEqualTo("fine");
                    passedThrough[node]++;
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - firstRefusal)).as("still closed on node 2 or 3")
                    .isLessThan(Duration.ofSeconds(5));
        }

        long slowest = Math.max(openAt[1], openAt[2]);
        System.out.printf("breaker trip on node 1 opened nodes 2 and 3 in %d ms and %d ms after node 1's first"
                        + " circuit_open (%d ms and %d ms after the tripping request was sent; %d and %d calls got"
                        + " through before)%n",
                millis(openAt[1] - firstRefusal), millis(openAt[2] - firstRefusal),
                millis(openAt[1] - trippingRequestSent), millis(openAt[2] - trippingRequestSent),
                passedThrough[1], passedThrough[2]);
        assertThat(Duration.ofNanos(slowest - firstRefusal)).isLessThan(Duration.ofMillis(500));
        for (int node = 0; node < 3; node++) {
            assertThat(cluster.node(node).breakers().find("orders").orElseThrow().state()).as("node %d", node + 1)
                    .isEqualTo("OPEN");
        }
        int calls = upstream.requests();
        for (int node = 0; node < 3; node++) {
            HttpResponse<String> refused = cluster.get(node, "/orders");
            assertThat(circuitOpen(refused)).as("node %d", node + 1).isTrue();
            assertThat(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow()))
                    .as("node %d refuses until node 1's trip ends", node + 1).isBetween(29L, 30L);
        }
        assertThat(upstream.requests()).isEqualTo(calls);
    }

    @Test
    void aSecondTripAfterTheClusterRecoveredIsSharedToo() {
        start("500ms");
        tripNodeOne();
        awaitOpen(1, 2);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() ->
                "fine".equals(cluster.get(0, "/orders").body()) && "fine".equals(cluster.get(1, "/orders").body())
                        && "fine".equals(cluster.get(2, "/orders").body()));
        for (int node = 0; node < 3; node++) {
            assertThat(cluster.node(node).breakers().find("orders").orElseThrow().state()).as("node %d", node + 1)
                    .isEqualTo("CLOSED");
        }

        upstream.mode(Mode.answer(500, "broken"));
        long secondTrip = System.nanoTime();
        tripNodeOne();
        awaitOpen(1, 2);

        System.out.printf("a second trip reached nodes 2 and 3 in %d ms%n", millis(System.nanoTime() - secondTrip));
    }

    /** Fails four calls through node 1, then lets the upstream answer 200 and checks node 1 refuses. */
    private void tripNodeOne() {
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = cluster.get(0, "/orders");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
        }
        upstream.mode(Mode.answer(200, "fine"));
        assertThat(circuitOpen(cluster.get(0, "/orders"))).isTrue();
    }

    /** Waits until these nodes (from 0) refuse with circuit_open: only a shared trip can open them, the upstream is fine. */
    private void awaitOpen(int... nodes) {
        for (int node : nodes) {
            await().atMost(Duration.ofMillis(500)).pollInterval(Duration.ofMillis(5))
                    .until(() -> circuitOpen(cluster.get(node, "/orders")));
        }
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }
}
