package io.gridgate.node.registry;

import io.gridgate.node.testing.TestCluster;
import io.gridgate.node.testing.TestUpstream;
import io.gridgate.node.upstream.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Routes to registered services across a three-node cluster: the registry's promises, end to end. */
class ServiceRoutingTest {

    private static final String ORDERS = """
            - {id: orders, match: {pathPrefix: /orders}, upstream: "service:orders"}
            """;

    private final List<TestUpstream> upstreams = new ArrayList<>();
    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
        upstreams.forEach(TestUpstream::close);
    }

    private TestUpstream upstream(String name) {
        TestUpstream upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send(name));
        upstreams.add(upstream);
        return upstream;
    }

    private static String instance(TestUpstream upstream, int ttlSeconds) {
        return "{\"host\":\"127.0.0.1\",\"port\":" + upstream.port() + ",\"ttlSeconds\":" + ttlSeconds + "}";
    }

    @Test
    void anInstanceRegisteredThroughOneNodeServesTrafficThroughEveryNode() {
        cluster = TestCluster.withRoutes(3, """
                - {id: orders, match: {pathPrefix: /orders}, upstream: "service:orders"}
                """);
        for (int node = 0; node < 3; node++) {
            HttpResponse<String> none = cluster.get(node, "/orders");
            assertThat(none.statusCode()).isEqualTo(503);
            assertThat(none.body()).contains("\"error\":\"no_healthy_upstream\"");
        }
        TestUpstream orders = upstream("orders-1");

        long registered = System.nanoTime();
        assertThat(cluster.register(0, "orders", "o-1", instance(orders, 30)).statusCode()).isEqualTo(201);

        for (int node = 0; node < 3; node++) {
            int n = node;
            await().atMost(Duration.ofSeconds(5)).until(() -> "orders-1".equals(cluster.get(n, "/orders/7").body()));
        }
        System.out.printf("registration reached all 3 nodes in %d ms%n", (System.nanoTime() - registered) / 1_000_000);
    }

    @Test
    void aDeregisteredInstanceStopsReceivingTrafficOnEveryNode() {
        cluster = TestCluster.withRoutes(3, """
                - {id: orders, match: {pathPrefix: /orders}, upstream: "service:orders"}
                """);
        TestUpstream orders = upstream("orders-1");
        cluster.register(1, "orders", "o-1", instance(orders, 30));
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.get(2, "/orders").statusCode() == 200);

        assertThat(cluster.deregister(2, "orders", "o-1").statusCode()).isEqualTo(204);

        for (int node = 0; node < 3; node++) {
            int n = node;
            await().atMost(Duration.ofSeconds(2)).until(() -> cluster.get(n, "/orders").statusCode() == 503);
        }
    }

    @Test
    void anInstanceThatStopsHeartbeatingLeavesRotationAfterItsTtl() {
        cluster = TestCluster.withRoutes(2, """
                - {id: orders, match: {pathPrefix: /orders}, upstream: "service:orders"}
                """);
        TestUpstream orders = upstream("orders-1");
        cluster.register(0, "orders", "o-1", instance(orders, 2));
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.get(1, "/orders").statusCode() == 200);
        long lastHeartbeat = System.nanoTime();

        for (int node = 0; node < 2; node++) {
            int n = node;
            await().atMost(Duration.ofSeconds(6)).until(() -> cluster.get(n, "/orders").statusCode() == 503);
        }
        System.out.printf("out of rotation on both nodes %d ms after the last heartbeat (ttl 2000 ms)%n",
                (System.nanoTime() - lastHeartbeat) / 1_000_000);
        assertThat(cluster.node(1).grid().registry().instances("orders")).hasSize(1);
    }

    /** This node's endpoint for {@code server}, once a request has left a pooled connection in it. */
    private Endpoint warmEndpoint(TestUpstream server) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            cluster.get(0, "/orders");
            Endpoint endpoint = endpointOf(server);
            return endpoint != null && endpoint.openConnections() == 1;
        });
        return endpointOf(server);
    }

    private Endpoint endpointOf(TestUpstream server) {
        return cluster.node(0).upstreamEndpoints().stream().filter(endpoint -> endpoint.port() == server.port())
                .findFirst().orElse(null);
    }

    @Test
    void aDeregisteredInstancesConnectionsCloseAfterTheDrainWhileTheOtherKeepsServingAndItCanComeBack() {
        cluster = TestCluster.withRoutes(1, ORDERS);
        TestUpstream stays = upstream("stays");
        TestUpstream leaves = upstream("leaves");
        cluster.register(0, "orders", "stays", instance(stays, 30));
        cluster.register(0, "orders", "leaves", instance(leaves, 30));
        Endpoint departed = warmEndpoint(leaves);
        Endpoint kept = warmEndpoint(stays);

        assertThat(cluster.deregister(0, "orders", "leaves").statusCode()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            assertThat(cluster.get(0, "/orders").body()).isEqualTo("stays");
            assertThat(cluster.node(0).upstreamEndpoints()).doesNotContain(departed);
        });
        assertThat(departed.openConnections()).as("closed with its endpoint").isZero();
        assertThat(cluster.node(0).upstreamEndpoints()).containsExactly(kept);
        assertThat(kept.openConnections()).as("the remaining instance's warm connection").isEqualTo(1);

        cluster.register(0, "orders", "leaves-again", instance(leaves, 30));
        await().atMost(Duration.ofSeconds(5)).until(() -> "leaves".equals(cluster.get(0, "/orders").body()));
        assertThat(endpointOf(leaves)).isNotSameAs(departed);
    }

    @Test
    void anInstanceListedAgainWithinTheDrainKeepsItsOpenEndpoint() {
        cluster = TestCluster.withRoutes(1, ORDERS);
        TestUpstream orders = upstream("orders-1");
        cluster.register(0, "orders", "o-1", instance(orders, 30));
        Endpoint warm = warmEndpoint(orders);

        cluster.deregister(0, "orders", "o-1");
        await().atMost(Duration.ofSeconds(2)).until(() -> cluster.get(0, "/orders").statusCode() == 503);
        cluster.register(0, "orders", "o-1", instance(orders, 30));
        await().atMost(Duration.ofSeconds(2)).until(() -> cluster.get(0, "/orders").statusCode() == 200);

        // Past the 1 s drain its departure scheduled a close for, the endpoint is still the one serving.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> "orders-1".equals(cluster.get(0, "/orders").body())
                        && cluster.node(0).upstreamEndpoints().contains(warm) && warm.openConnections() == 1);
    }

    @Test
    void weightedRoundRobinSplitsTrafficByWeight() {
        cluster = TestCluster.withRoutes(1, """
                - id: orders
                  match: {pathPrefix: /orders}
                  upstream: "service:orders"
                  loadBalancer: {strategy: weightedRoundRobin}
                """);
        TestUpstream heavy = upstream("heavy");
        TestUpstream light = upstream("light");
        cluster.register(0, "orders", "heavy", "{\"host\":\"127.0.0.1\",\"port\":" + heavy.port() + ",\"weight\":3}");
        cluster.register(0, "orders", "light", "{\"host\":\"127.0.0.1\",\"port\":" + light.port() + ",\"weight\":1}");
        await().until(() -> cluster.node(0).grid().registry().instances("orders").size() == 2);

        int heavyCount = 0;
        for (int i = 0; i < 4000; i++) {
            if ("heavy".equals(cluster.get(0, "/orders").body())) {
                heavyCount++;
            }
        }

        assertThat(heavyCount).isBetween(2900, 3100);
    }

    @Test
    void consistentHashingKeepsAKeyOnOneInstanceAndMovesOnlyTheKeysOfOneThatLeaves() {
        cluster = TestCluster.withRoutes(2, """
                - id: carts
                  match: {pathPrefix: /carts}
                  upstream: "service:carts"
                  loadBalancer: {strategy: consistentHash, hashOn: {header: X-User}}
                """);
        for (String name : List.of("a", "b", "c")) {
            TestUpstream upstream = upstream(name);
            cluster.register(0, "carts", name, "{\"host\":\"127.0.0.1\",\"port\":" + upstream.port() + "}");
        }
        await().until(() -> cluster.node(1).grid().registry().instances("carts").size() == 3);

        List<String> before = owners(0);
        assertThat(owners(1)).as("every node maps a key to the same instance").isEqualTo(before);
        assertThat(before).contains("a", "b", "c");
        cluster.deregister(0, "carts", "b");
        await().until(() -> cluster.node(1).grid().registry().instances("carts").size() == 2);
        List<String> after = owners(1);

        for (int key = 0; key < before.size(); key++) {
            if (!before.get(key).equals("b")) {
                assertThat(after.get(key)).as("user-%d", key).isEqualTo(before.get(key));
            }
        }
    }

    private List<String> owners(int node) {
        List<String> owners = new ArrayList<>();
        for (int key = 0; key < 200; key++) {
            owners.add(cluster.send(java.net.http.HttpRequest.newBuilder(cluster.uri(node, "/carts"))
                    .header("X-User", "user-" + key).build()).body());
        }
        return owners;
    }

    @ParameterizedTest
    @ValueSource(strings = {"roundRobin", "random", "leastRequest"})
    void everyStrategySpreadsTrafficOverBothInstances(String strategy) {
        cluster = TestCluster.withRoutes(1, """
                - id: orders
                  match: {pathPrefix: /orders}
                  upstream: "service:orders"
                  loadBalancer: {strategy: %s}
                """.formatted(strategy));
        TestUpstream one = upstream("one");
        TestUpstream two = upstream("two");
        cluster.register(0, "orders", "one", instance(one, 30));
        cluster.register(0, "orders", "two", instance(two, 30));
        await().until(() -> cluster.node(0).grid().registry().instances("orders").size() == 2);

        int ones = 0;
        for (int i = 0; i < 1000; i++) {
            if ("one".equals(cluster.get(0, "/orders").body())) {
                ones++;
            }
        }

        if (strategy.equals("roundRobin")) {
            assertThat(ones).isEqualTo(500);
        } else {
            assertThat(ones).isBetween(380, 620);
        }
    }

    @Test
    void aZoneAwareNodeStaysInItsZoneWhileAnInstanceThereIsAvailable() {
        cluster = TestCluster.start(1, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, registrationToken: %s}
                cluster: {zone: eu-1a}
                routes:
                  - {id: orders, match: {pathPrefix: /orders}, upstream: "service:orders"}
                """.formatted(TestCluster.TOKEN));
        TestUpstream near = upstream("near");
        TestUpstream far = upstream("far");
        cluster.register(0, "orders", "near", "{\"host\":\"127.0.0.1\",\"port\":" + near.port() + ",\"zone\":\"eu-1a\"}");
        cluster.register(0, "orders", "far", "{\"host\":\"127.0.0.1\",\"port\":" + far.port() + ",\"zone\":\"eu-1b\"}");
        await().until(() -> cluster.node(0).grid().registry().instances("orders").size() == 2);

        for (int i = 0; i < 20; i++) {
            assertThat(cluster.get(0, "/orders").body()).isEqualTo("near");
        }
        cluster.deregister(0, "orders", "near");
        await().atMost(Duration.ofSeconds(2)).until(() -> "far".equals(cluster.get(0, "/orders").body()));
    }
}
