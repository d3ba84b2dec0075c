package io.gridgate.node.admin;

import io.gridgate.node.testing.FaultyUpstream;
import io.gridgate.node.testing.TestCluster;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the dashboard tests look at: two nodes with an admin token, a route {@code orders} to the
 * service {@code orders} and one instance of it ({@code orders-1}, a real upstream) registered
 * through the heartbeat endpoint; the tests add a second ({@code orders-2}) while the page runs.
 */
final class DashboardCluster implements AutoCloseable {

    static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    private final FaultyUpstream upstream = FaultyUpstream.answering("orders");
    private final TestCluster cluster;

    DashboardCluster() {
        cluster = TestCluster.start(2, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, registrationToken: %s, token: %s}
                accessLog: {enabled: false}
                routes:
                  - {id: orders, match: {pathPrefix: /orders, methods: [GET]}, upstream: "service:orders"}
                """.formatted(TestCluster.TOKEN, ADMIN_TOKEN));
        try {
            register();
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
    }

    private void register() {
        assertThat(cluster.register(0, "orders", "orders-1", upstream.instanceJson()).statusCode()).isEqualTo(201);
        await().until(() -> cluster.node(0).grid().registry().instances("orders").size() == 1);
    }

    /** Registers {@code orders-2}, at an address nothing answers, through node 1; returns once node 0 knows it. */
    void registerSecondThroughNode1() {
        assertThat(cluster.register(1, "orders", "orders-2",
                "{\"host\":\"10.0.0.8\",\"port\":9000,\"zone\":\"eu-1b\",\"ttlSeconds\":60}").statusCode()).isEqualTo(201);
        await().until(() -> cluster.node(0).grid().registry().instances("orders").size() == 2);
    }

    /** Ejects {@code orders-2} through node 1; returns once node 0 knows it. */
    void ejectSecondThroughNode1() {
        cluster.node(1).grid().registry().eject("orders", "orders-2", Instant.now().plus(Duration.ofMinutes(10)), "test")
                .toCompletableFuture().join();
        await().until(() -> cluster.node(0).grid().registry().ejectedUntil("orders", "orders-2") != null);
    }

    /** Sends {@code requests} GETs through node 0's route {@code orders}; only their count matters. */
    void sendOrders(int requests) {
        for (int i = 0; i < requests; i++) {
            cluster.send(HttpRequest.newBuilder(cluster.uri(0, "/orders/" + i)).timeout(Duration.ofSeconds(5)).build());
        }
    }

    TestCluster cluster() {
        return cluster;
    }

    String memberId(int node) {
        return cluster.node(node).grid().localMemberId();
    }

    /** A GET on node 0's admin port, with {@code token} as the bearer token unless it is null. */
    HttpResponse<String> admin(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(cluster.adminUri(0, path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return cluster.send(request.build());
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } finally {
            upstream.close();
        }
    }
}
