package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a new version of the shared configuration does on the node that applies it: a service's
 * settings changed through {@code PUT /admin/services/{name}} are in force from that version, not
 * from the change after; a version that does not validate on the node leaves it on the version
 * before and says so in its metrics and the cluster view, not only in its log.
 */
class ConfigApplyTest {

    private static final String TOKEN = "apply-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicInteger calls = new AtomicInteger();
    private TestUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        upstream = TestUpstream.start(exchange -> {
            calls.incrementAndGet();
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
