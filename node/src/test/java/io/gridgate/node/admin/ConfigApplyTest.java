package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.cluster.ServiceInstance;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.gridgate.node.upstream.Endpoint;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a new version of the shared configuration does on the node that applies it: a service's
 * settings changed through {@code PUT /admin/services/{name}} are in force from that version, not
 * from the change after; a version that does not validate on the node leaves it on the version
 * before and says so in its metrics and the cluster view, not only in its log; the upstream pools a
 * version no longer uses are closed once the previous version's requests have had the drain timeout.
 */
class ConfigApplyTest {

    private static final String TOKEN = "apply-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicInteger calls = new AtomicInteger();
    /** A request the upstream holds unanswered until the test answers it. */
    private final CompletableFuture<HttpServerExchange> held = new CompletableFuture<>();
    private TestUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        upstream = TestUpstream.start(exchange -> {
            calls.incrementAndGet();
            if (exchange.getRequestPath().startsWith("/items/held")) {
                exchange.dispatch(SameThreadExecutor.INSTANCE, () -> held.complete(exchange));
                return;
            }
            exchange.setStatusCode(exchange.getRequestPath().startsWith("/items/fail") ? 503 : 200);
            exchange.getResponseSender().send("upstream");
        });
        gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, token: %s}
                accessLog: {enabled: false}
                routes:
                  - id: items
                    match: {pathPrefix: /items}
                    upstream: %s
                    retry: {attempts: 1}
                """.formatted(TOKEN, upstream.url()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private HttpResponse<String> traffic(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> change(String method, String path, String body, String version) throws Exception {
        HttpResponse<String> changed = client.send(HttpRequest.newBuilder(gateway.adminUri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + TOKEN).header("If-Match", version).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        return changed;
    }

    /** The endpoint this node keeps for {@code server}, with a pooled connection to it after one request. */
    private Endpoint warmEndpoint(String path, TestUpstream server) throws Exception {
        assertThat(traffic(path).statusCode()).isEqualTo(200);
        Endpoint endpoint = gateway.node().upstreamEndpoints().stream()
                .filter(candidate -> candidate.port() == server.port()).findFirst().orElseThrow();
        assertThat(endpoint.openConnections()).isEqualTo(1);
        return endpoint;
    }

    private HttpResponse<String> admin(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.adminUri(path)).header("Authorization", "Bearer " + TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBreakerRetunedThroughTheApiOpensAtItsNewThresholdWithNoFurtherChange() throws Exception {
        // A URL upstream's breaker is tuned under its host:port.
        String name = "127.0.0.1:" + upstream.port();
        String settings = "{\"circuitBreaker\": {\"windowSize\": 2, \"minimumCalls\": 2, \"failureRate\": 50}}";

        HttpResponse<String> changed = client.send(HttpRequest.newBuilder(gateway.adminUri("/admin/services/" + name))
                .PUT(HttpRequest.BodyPublishers.ofString(settings)).header("Authorization", "Bearer " + TOKEN)
                .header("If-Match", "\"1\"").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(JSON.readTree(changed.body()).path("runningHere").asBoolean()).isTrue();

        assertThat(traffic("/items/fail/1").statusCode()).isEqualTo(503);
        assertThat(traffic("/items/fail/2").statusCode()).isEqualTo(503);
        int reached = calls.get();
        HttpResponse<String> third = traffic("/items/1");

        // The default breaker (20 calls at least) would still be closed and let this one through.
        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(third.body()).path("error").asText()).isEqualTo("circuit_open");
        assertThat(calls.get()).as("the open breaker spares the upstream").isEqualTo(reached);
    }

    @Test
    void aRoutesOldPoolClosesItsConnectionsOnceTheDrainTimeoutPassesAfterItsSettingsChange() throws Exception {
        Endpoint old = warmEndpoint("/items/1", upstream);

        change("PUT", "/admin/routes/items", "{\"match\": {\"pathPrefix\": \"/items\"}, \"upstream\": \""
                + upstream.url() + "\", \"retry\": {\"attempts\": 1}, \"pool\": {\"maxConnections\": 4}}", "\"1\"");

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            assertThat(old.openConnections()).isZero();
            assertThat(gateway.node().upstreamEndpoints()).doesNotContain(old);
        });
        assertThat(traffic("/items/2").statusCode()).as("served by the new pool").isEqualTo(200);
        assertThat(gateway.node().upstreamEndpoints()).singleElement().satisfies(kept ->
                assertThat(kept.openConnections()).isEqualTo(1));
    }

    @Test
    void aRequestInFlightOnTheOldVersionFinishesAfterItsPoolIsReleased() throws Exception {
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                HttpRequest.newBuilder(gateway.uri("/items/held")).build(), HttpResponse.BodyHandlers.ofString());
        HttpServerExchange upstreamSide = held.get(5, TimeUnit.SECONDS);
        Endpoint old = gateway.node().upstreamEndpoints().get(0);

        change("PUT", "/admin/routes/items", "{\"match\": {\"pathPrefix\": \"/items\"}, \"upstream\": \""
                + upstream.url() + "\", \"pool\": {\"maxConnections\": 4}}", "\"1\"");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() ->
                !gateway.node().upstreamEndpoints().contains(old));
        upstreamSide.getIoThread().execute(() -> upstreamSide.getResponseSender().send("late"));

        HttpResponse<String> answered = inFlight.get(5, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo("late");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(old.openConnections()).as("closed when handed back to the released pool").isZero());
    }

    @Test
    void aRemovedRoutesPoolClosesWhileTheRoutesThatStayKeepTheirOpenConnections() throws Exception {
        TestUpstream other = TestUpstream.start(exchange -> exchange.getResponseSender().send("other"));
        try {
            change("PUT", "/admin/routes/other", "{\"match\": {\"pathPrefix\": \"/other\"}, \"upstream\": \""
                    + other.url() + "\"}", "\"1\"");
            Endpoint items = warmEndpoint("/items/1", upstream);
            Endpoint removed = warmEndpoint("/other/1", other);

            change("DELETE", "/admin/routes/other", null, "\"2\"");

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                    assertThat(removed.openConnections()).isZero());
            assertThat(gateway.node().upstreamEndpoints()).containsExactly(items);
            assertThat(items.openConnections()).as("the kept pool's connection").isEqualTo(1);
            assertThat(traffic("/items/2").statusCode()).isEqualTo(200);
            assertThat(traffic("/other/2").statusCode()).isEqualTo(404);
        } finally {
            other.close();
        }
    }

    @Test
    void aServiceRetunedThroughTheApiKeepsTheWarmPoolsOfItsInstances() throws Exception {
        TestUpstream instance = TestUpstream.start(exchange -> exchange.getResponseSender().send("orders"));
        try {
            gateway.node().grid().registry().register(new ServiceInstance("orders", "orders-1", "http", "127.0.0.1",
                    instance.port(), 1, Optional.empty(), Map.of(), Duration.ofSeconds(60))).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            change("PUT", "/admin/routes/orders", "{\"match\": {\"pathPrefix\": \"/orders\"}, "
                    + "\"upstream\": \"service:orders\"}", "\"1\"");
            Endpoint items = warmEndpoint("/items/1", upstream);
            Endpoint orders = warmEndpoint("/orders/1", instance);

            change("PUT", "/admin/services/orders", "{\"circuitBreaker\": {\"windowSize\": 5, \"minimumCalls\": 5}}",
                    "\"2\"");
            change("DELETE", "/admin/routes/items", null, "\"3\"");

            // The versions' releases run in the order they were replaced: once the last has closed the
            // removed route's pool, the retuned service's release has run too.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                    assertThat(items.openConnections()).isZero());
            assertThat(gateway.node().upstreamEndpoints()).containsExactly(orders);
            assertThat(orders.openConnections()).isEqualTo(1);
            assertThat(traffic("/orders/2").body()).isEqualTo("orders");
        } finally {
            instance.close();
        }
    }

    @Test
    void aNodeThatCannotApplyAVersionCountsItAndShowsAsBehindInTheClusterView() throws Exception {
        // Stored straight into the grid, as a node whose validation differs (another release, a key
        // file this node lacks) would store it: the admin API of this node would refuse it.
        gateway.node().grid().config()
                .change(1, "routes: [{id: items, match: {pathPrefix: /items}, upstream: \"ftp://nowhere\"}]", "test")
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(admin("/metrics").body()).contains("gridgate_config_apply_failures_total 1.0"));
        JsonNode view = JSON.readTree(admin("/admin/cluster").body());
        assertThat(view.path("configVersion").asLong()).isEqualTo(2);
        assertThat(view.path("members")).singleElement().satisfies(member -> {
            assertThat(member.path("configVersion").asLong()).isEqualTo(1);
            assertThat(member.path("current").asBoolean()).isFalse();
        });
        assertThat(admin("/metrics").body()).contains("gridgate_config_version 1.0");
        assertThat(traffic("/items/1").statusCode()).as("still served by version 1").isEqualTo(200);
    }
}
