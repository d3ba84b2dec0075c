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
 * service {@code orders}, and two instances registered through the heartbeat endpoint, one of them
 * ({@code orders-1}, a real upstream) healthy and the other ({@code orders-2}) ejected.
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
        assertThat(cluster.register(0, "orders", "orders-2",
                "{\"host\":\"10.0.0.8\",\"port\":9000,\"zone\":\"eu-1b\",\"ttlSeconds\":60}").statusCode()).isEqualTo(201);
        var registry = cluster.node(0).grid().registry();
        registry.eject("orders", "orders-2", Instant.now().plus(Duration.ofMinutes(10)), "test").toCompletableFuture().join();
        await().until(() -> registry.instances("orders").size() == 2 && registry.ejectedUntil("orders", "orders-2") != null);
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
