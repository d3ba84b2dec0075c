package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's settings changed through {@code PUT /admin/services/{name}} are the ones its route
 * uses from the version that carries them, not from the change after.
 */
class ServiceChangeTest {

    private static final String TOKEN = "service-admin-token-0123456789";
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
}
