package io.gridgate.node.registry;

import io.gridgate.node.testing.TestCluster;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Passive (outlier) and active health, shared through the grid. */
class HealthTest {

    private final List<TestUpstream> upstreams = new ArrayList<>();
    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
        upstreams.forEach(TestUpstream::close);
    }

    private TestUpstream upstream(TestUpstream upstream) {
        upstreams.add(upstream);
        return upstream;
    }

    private void register(String id, TestUpstream upstream) {
        assertThat(cluster.register(0, "orders", id, "{\"host\":\"127.0.0.1\",\"port\":" + upstream.port() + "}")
                .statusCode()).isEqualTo(201);
    }

    @Test
    void anInstanceFailingRepeatedlyIsEjectedOnEveryNodeAndComesBackLater() {
        cluster = TestCluster.start(2, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, registrationToken: %s}
                services:
                  orders:
                    outlierDetection: {consecutiveFailures: 3, ejectionTime: 2s}
                routes:
                  - {id: orders, match: {pathPrefix: /orders}, upstream: "service:orders"}
                """.formatted(TestCluster.TOKEN));
        AtomicBoolean broken = new AtomicBoolean(true);
        TestUpstream flaky = upstream(TestUpstream.start(exchange -> {
            exchange.setStatusCode(broken.get() ? 500 : 200);
            exchange.getResponseSender().send("flaky");
        }));
        TestUpstream good = upstream(TestUpstream.start(exchange -> exchange.getResponseSender().send("good")));
        register("flaky", flaky);
        register("good", good);
        await().until(() -> cluster.node(1).grid().registry().instances("orders").size() == 2);

        // Round robin through node 0 alternates, so six requests give the flaky one three failures.
        for (int i = 0; i < 6; i++) {
            cluster.get(0, "/orders");
        }

        await().atMost(Duration.ofSeconds(2))
                .until(() -> cluster.node(1).grid().registry().ejectedUntil("orders", "flaky") != null);
        for (int i = 0; i < 20; i++) {
            assertThat(cluster.get(1, "/orders").body()).isEqualTo("good");
        }
        broken.set(false);
        await().atMost(Duration.ofSeconds(6)).until(() -> "flaky".equals(cluster.get(1, "/orders").body())
                || "flaky".equals(cluster.get(1, "/orders").body()));
    }

    @Test
    void activeChecksRunOnOneNodeOnlyAndTakeAFailingInstanceOutUntilItRecovers() {
        cluster = TestCluster.start(3, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, registrationToken: %s}
                services:
                  orders:
                    healthCheck: {path: /health, interval: 200ms, timeout: 100ms, unhealthyThreshold: 2, healthyThreshold: 2}
                routes:
                  - {id: orders, match: {pathPrefix: /orders}, upstream: "service:orders"}
                """.formatted(TestCluster.TOKEN));
        AtomicBoolean healthy = new AtomicBoolean(true);
        AtomicInteger probes = new AtomicInteger();
        TestUpstream checked = upstream(TestUpstream.start(exchange -> {
            if (exchange.getRequestPath().equals("/health")) {
                probes.incrementAndGet();
                exchange.setStatusCode(healthy.get() ? 200 : 503);
            }
            exchange.getResponseSender().send("checked");
        }));
        register("checked", checked);
        await().until(() -> probes.get() >= 3);
        int before = probes.get();
        long started = System.nanoTime();
        await().until(() -> probes.get() >= before + 10);
        double intervals = (System.nanoTime() - started) / 200e6;

        assertThat((probes.get() - before) / intervals)
                .as("probes per interval across 3 nodes (1 means a single prober)").isLessThan(1.6);
        assertThat(cluster.get(2, "/orders").statusCode()).isEqualTo(200);

        healthy.set(false);
        await().atMost(Duration.ofSeconds(3)).until(() -> cluster.get(2, "/orders").statusCode() == 503);
        healthy.set(true);
        await().atMost(Duration.ofSeconds(3)).until(() -> cluster.get(2, "/orders").statusCode() == 200);
    }
}
