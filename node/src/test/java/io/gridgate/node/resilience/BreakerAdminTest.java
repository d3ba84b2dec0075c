package io.gridgate.node.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.testing.FaultyUpstream;
import io.gridgate.node.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The circuit-breaker endpoints of the admin API, on a cluster of three and on a single node. */
class BreakerAdminTest {

    private static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FaultyUpstream orders = FaultyUpstream.answering("orders");
    private final FaultyUpstream files = FaultyUpstream.answering("files");
    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
        orders.close();
        files.close();
    }

    /**
     * {@code nodes} nodes with {@code /orders} to the service {@code orders} and {@code /files} to a
     * static URL, whose breaker is named by its host and port.
     */
    private void start(int nodes, String adminToken) {
        cluster = TestCluster.start(nodes, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, registrationToken: %s%s}
                routes:
                  - {id: orders, match: {pathPrefix: /orders}, upstream: "service:orders"}
                  - {id: files, match: {pathPrefix: /files}, upstream: "%s"}
                """.formatted(TestCluster.TOKEN, adminToken == null ? "" : ", token: " + adminToken, files.url()));
        cluster.register(0, "orders", "orders-1", orders.instanceJson());
        for (int node = 0; node < nodes; node++) {
            int n = node;
            await().until(() -> cluster.node(n).grid().registry().instances("orders").size() == 1);
        }
    }

    private String filesBreaker() {
        return "127.0.0.1:" + files.port();
    }

    private HttpResponse<String> admin(int node, String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(cluster.adminUri(node, path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return cluster.send(request.build());
    }

    private HttpResponse<String> post(int node, String path) {
        return admin(node, "POST", path, ADMIN_TOKEN);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return JSON.readTree(response.body());
    }

    private static boolean circuitOpen(HttpResponse<String> response) {
        return response.statusCode() == 503 && response.body().contains("\"error\":\"circuit_open\"");
    }

    private String state(JsonNode list, String breaker) {
        for (JsonNode entry : list.get("breakers")) {
            if (entry.get("name").asText().equals(breaker)) {
                return entry.get("state").asText();
            }
        }
        return null;
    }

    @Test
    void listsEachBreakerByServiceNameOrHostAndPortWithItsState() throws Exception {
        start(3, ADMIN_TOKEN);

        HttpResponse<String> response = admin(1, "GET", "/admin/breakers", ADMIN_TOKEN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode list = json(response);
        assertThat(list.get("member").asText()).isEqualTo(cluster.node(1).grid().localMemberId());
        assertThat(list.get("breakers")).extracting(entry -> entry.get("name").asText())
                .containsExactlyInAnyOrder("orders", filesBreaker());
        assertThat(state(list, "orders")).isEqualTo("CLOSED");
        assertThat(state(list, filesBreaker())).isEqualTo("CLOSED");
        assertThat(list.get("breakers").get(0).get("failureRate").floatValue()).isEqualTo(-1f);
    }

    @Test
    void forcingOpenThroughOneNodeOpensTheBreakerOnEveryNodeAndCloseClosesIt() throws Exception {
        start(3, ADMIN_TOKEN);

        HttpResponse<String> opened = post(0, "/admin/breakers/orders/open");

        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        JsonNode body = json(opened);
        assertThat(body.get("breaker").asText()).isEqualTo("orders");
        assertThat(body.get("state").asText()).isEqualTo("FORCED_OPEN");
        assertThat(body.get("scope").asText()).isEqualTo("cluster");
        for (int node = 0; node < 3; node++) {
            int n = node;
            await().atMost(Duration.ofSeconds(2)).until(() -> circuitOpen(cluster.get(n, "/orders")));
        }
        int calls = orders.requests();
        for (int node = 0; node < 3; node++) {
            assertThat(state(json(admin(node, "GET", "/admin/breakers", ADMIN_TOKEN)), "orders")).as("node %d", node + 1)
                    .isEqualTo("FORCED_OPEN");
            assertThat(circuitOpen(cluster.get(node, "/orders"))).as("node %d", node + 1).isTrue();
            assertThat(cluster.get(node, "/files").body()).as("other breakers stay closed").isEqualTo("files");
        }
        assertThat(orders.requests()).isEqualTo(calls);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            JsonNode views = json(admin(2, "GET", "/admin/breakers", ADMIN_TOKEN)).get("cluster");
            Set<String> members = new HashSet<>();
            for (JsonNode view : views) {
                if (view.get("breaker").asText().equals("orders") && view.get("state").asText().equals("FORCED_OPEN")) {
                    members.add(view.get("member").asText());
                }
            }
            assertThat(members).as("members that report orders forced open").hasSize(3);
        });

        HttpResponse<String> closed = post(1, "/admin/breakers/orders/close");

        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
        assertThat(json(closed).get("state").asText()).isEqualTo("CLOSED");
        for (int node = 0; node < 3; node++) {
            int n = node;
            await().atMost(Duration.ofSeconds(2)).until(() -> "orders".equals(cluster.get(n, "/orders").body()));
            assertThat(state(json(admin(n, "GET", "/admin/breakers", ADMIN_TOKEN)), "orders")).isEqualTo("CLOSED");
        }
    }

    @Test
    void aStaticUrlsBreakerIsForcedOpenByItsHostAndPort() throws Exception {
        start(3, ADMIN_TOKEN);

        HttpResponse<String> opened = post(2, "/admin/breakers/" + filesBreaker() + "/open");

        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        for (int node = 0; node < 3; node++) {
            int n = node;
            await().atMost(Duration.ofSeconds(2)).until(() -> circuitOpen(cluster.get(n, "/files")));
            assertThat(cluster.get(n, "/orders").body()).isEqualTo("orders");
        }
    }

    @Test
    void nodeScopeOpensAndClosesTheBreakerOnThatNodeOnly() throws Exception {
        start(3, ADMIN_TOKEN);

        HttpResponse<String> opened = post(1, "/admin/breakers/orders/open?scope=node");

        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        assertThat(json(opened).get("scope").asText()).isEqualTo("node");
        assertThat(circuitOpen(cluster.get(1, "/orders"))).isTrue();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() ->
                "orders".equals(cluster.get(0, "/orders").body()) && "orders".equals(cluster.get(2, "/orders").body()));
        assertThat(circuitOpen(cluster.get(1, "/orders"))).as("still open on node 2").isTrue();

        HttpResponse<String> closed = post(1, "/admin/breakers/orders/close?scope=node");

        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
        assertThat(cluster.get(1, "/orders").body()).isEqualTo("orders");
    }

    @Test
    void rejectsAnUnknownScopeAndANodeScopedCommandForABreakerTheNodeDoesNotHave() throws Exception {
        start(1, ADMIN_TOKEN);

        HttpResponse<String> badScope = post(0, "/admin/breakers/orders/open?scope=planet");
        HttpResponse<String> unknown = post(0, "/admin/breakers/payments/open?scope=node");

        assertThat(badScope.statusCode()).isEqualTo(400);
        assertThat(badScope.body()).contains("\"error\":\"invalid_request\"", "scope: \\\"planet\\\" (expected: cluster or node)");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"error\":\"breaker_not_found\"");
        assertThat(cluster.get(0, "/orders").body()).isEqualTo("orders");
    }

    @Test
    void withoutAnAdminTokenTheBreakerEndpointsAnswer403AndChangeNothing() throws Exception {
        start(1, null);

        List<HttpResponse<String>> responses = new ArrayList<>();
        responses.add(admin(0, "GET", "/admin/breakers", null));
        responses.add(admin(0, "POST", "/admin/breakers/orders/open", null));
        responses.add(admin(0, "POST", "/admin/breakers/orders/open", "any-token-at-all-0123456789"));
        responses.add(admin(0, "POST", "/admin/breakers/orders/close?scope=node", null));

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("\"error\":\"admin_api_disabled\"");
        });
        assertThat(cluster.get(0, "/orders").body()).isEqualTo("orders");
        assertThat(cluster.node(0).breakers().find("orders").orElseThrow().state()).isEqualTo("CLOSED");
    }

    @Test
    void aWrongOrMissingTokenGets401AndChangesNothing() throws Exception {
        start(1, ADMIN_TOKEN);

        List<HttpResponse<String>> responses = new ArrayList<>();
        responses.add(admin(0, "GET", "/admin/breakers", "wrong-admin-token-0123456789"));
        responses.add(admin(0, "POST", "/admin/breakers/orders/open", "wrong-admin-token-0123456789"));
        responses.add(admin(0, "POST", "/admin/breakers/orders/open", TestCluster.TOKEN));
        responses.add(admin(0, "POST", "/admin/breakers/orders/open", null));

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).contains("\"error\":\"unauthorized\"");
            assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"gridgate-admin\"");
        });
        assertThat(cluster.get(0, "/orders").body()).isEqualTo("orders");
        assertThat(cluster.node(0).breakers().find("orders").orElseThrow().state()).isEqualTo("CLOSED");
    }
}
