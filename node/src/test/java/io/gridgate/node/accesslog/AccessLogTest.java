package io.gridgate.node.accesslog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The access log of a real node, written to a file, after real requests through it to a real upstream. */
class AccessLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestUpstream upstream = TestUpstream.start(exchange -> {
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=60");
        exchange.getResponseSender().send("hello");
    });
    private final HttpClient client = HttpClient.newHttpClient();
    private TestGateway gateway;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
    }

    private TestGateway start(String accessLog, String tracing) {
        return TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 5s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                accessLog: %2$s
                %3$s
                routes:
                  - id: api
                    match: {pathPrefix: /api}
                    upstream: %1$s
                  - id: items
                    match: {pathPrefix: /items}
                    upstream: %1$s
                    cache: {}
                  - id: limited
                    match: {pathPrefix: /limited}
                    upstream: %1$s
                    rateLimits: [{id: one, limits: [{permits: 1, per: 1m}], key: [route]}]
                """.formatted(upstream.url(), accessLog, tracing));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).header("User-Agent", "access-log-test").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<JsonNode> awaitLines(Path file, int count) {
        List<JsonNode> lines = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            List<String> text = Files.exists(file) ? Files.readAllLines(file) : List.of();
            assertThat(text).hasSize(count);
            lines.clear();
            for (String line : text) {
                lines.add(JSON.readTree(line));
            }
        });
        return lines;
    }

    @Test
    void writesOneJsonLinePerRequestWithWhatTheGatewayDidAndNoSecrets() throws Exception {
        Path file = dir.resolve("access.log");
        gateway = start("{output: file, file: " + file + "}", "tracing: {endpoint: \"http://127.0.0.1:1\"}");

        assertThat(get("/api/orders?access_token=secret&x=1").statusCode()).isEqualTo(200);
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
        assertThat(get("/items/1").headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(get("/items/1").headers().firstValue("X-Cache")).hasValue("HIT");

        List<JsonNode> lines = awaitLines(file, 4);
        JsonNode proxied = lines.get(0);
        assertThat(proxied.get("route").asText()).isEqualTo("api");
        assertThat(proxied.get("method").asText()).isEqualTo("GET");
        assertThat(proxied.get("path").asText()).isEqualTo("/api/orders");
        assertThat(proxied.get("query").asText()).isEqualTo("access_token=REDACTED&x=1");
        assertThat(proxied.get("status").asInt()).isEqualTo(200);
        assertThat(proxied.get("reason").isNull()).isTrue();
        assertThat(proxied.get("client").asText()).isEqualTo("127.0.0.1");
        assertThat(proxied.get("upstream").asText()).isEqualTo("127.0.0.1:" + upstream.port());
        assertThat(proxied.get("bytes_in").asLong()).isZero();
        assertThat(proxied.get("bytes_out").asLong()).isEqualTo(5);
        assertThat(proxied.get("duration_ms").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(proxied.get("upstream_ms").asDouble()).isGreaterThanOrEqualTo(0)
                .isLessThanOrEqualTo(proxied.get("duration_ms").asDouble());
        assertThat(proxied.get("cache").isNull()).as("not a caching route").isTrue();
        assertThat(proxied.get("user_agent").asText()).isEqualTo("access-log-test");
        assertThat(proxied.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        for (JsonNode line : lines) {
            assertThat(line.get("trace_id").asText()).matches("[0-9a-f]{32}");
            assertThat(line.get("span_id").asText()).matches("[0-9a-f]{16}");
        }
        assertThat(lines.get(0).get("trace_id")).isNotEqualTo(lines.get(1).get("trace_id"));

        JsonNode noRoute = lines.get(1);
        assertThat(noRoute.get("status").asInt()).isEqualTo(404);
        assertThat(noRoute.get("reason").asText()).isEqualTo("no_route");
        assertThat(noRoute.get("route").isNull()).isTrue();
        assertThat(noRoute.get("upstream").isNull()).isTrue();
        assertThat(noRoute.get("upstream_ms").isNull()).isTrue();
        assertThat(noRoute.get("bytes_out").asLong()).isPositive();

        assertThat(lines.get(2).get("route").asText()).isEqualTo("items");
        assertThat(lines.get(2).get("cache").asText()).isEqualTo("MISS");
        assertThat(lines.get(2).get("upstream").asText()).isEqualTo("127.0.0.1:" + upstream.port());
        assertThat(lines.get(3).get("cache").asText()).isEqualTo("HIT");
        assertThat(lines.get(3).get("upstream").isNull()).as("a hit never goes upstream").isTrue();

        assertThat(Files.readString(file)).doesNotContain("secret");
    }

    @Test
    void aConfigurationChangeThatMovesTheApiKeyIntoTheQueryIsRedactedFromThen() throws Exception {
        Path file = dir.resolve("access.log");
        String token = "access-log-admin-token-0123456789";
        gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 5s}
                admin: {bindAddress: 127.0.0.1, port: 0, token: %s}
                accessLog: {output: file, file: %s}
                routes:
                  - id: api
                    match: {pathPrefix: /api}
                    upstream: %s
                """.formatted(token, file, upstream.url()));
        String changed = """
                auth: {apiKeys: {query: api_key}}
                routes:
                  - id: api
                    match: {pathPrefix: /api}
                    upstream: %s
                """.formatted(upstream.url());
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.adminUri("/admin/config"))
                .PUT(HttpRequest.BodyPublishers.ofString(changed)).header("Authorization", "Bearer " + token)
                .header("If-Match", "\"1\"").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        assertThat(get("/api/orders?api_key=k-secret-value&x=1").statusCode()).isEqualTo(200);

        List<JsonNode> lines = awaitLines(file, 1);
        assertThat(lines.get(0).get("query").asText()).isEqualTo("api_key=REDACTED&x=1");
        assertThat(Files.readString(file)).doesNotContain("k-secret-value");
    }

    @Test
    void countsTheBodyBytesReadAndSaysWhatTheRateLimitDecided() throws Exception {
        Path file = dir.resolve("access.log");
        gateway = start("{output: file, file: " + file + "}", "");
        byte[] body = new byte[1500];
        java.util.Arrays.fill(body, (byte) 'x');

        // HTTP/1.1: the client's first HTTP/2 attempt is an h2c upgrade, whose body Undertow reads itself.
        HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThat(http11.send(HttpRequest.newBuilder(gateway.uri("/api/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        assertThat(get("/limited").statusCode()).isEqualTo(200);
        assertThat(get("/limited").statusCode()).isEqualTo(429);
        // A fresh client's first request is an h2c upgrade: Undertow reads its body before any handler.
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri("/api/upgrade"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);

        List<JsonNode> lines = awaitLines(file, 4);
        assertThat(lines.get(3).get("path").asText()).isEqualTo("/api/upgrade");
        assertThat(lines.get(3).get("bytes_in").asLong()).as("its declared length").isEqualTo(1500);
        assertThat(lines.get(0).get("method").asText()).isEqualTo("POST");
        assertThat(lines.get(0).get("bytes_in").asLong()).isEqualTo(1500);
        assertThat(lines.get(0).get("rate_limit").isNull()).as("no limits on this route").isTrue();
        assertThat(lines.get(1).get("rate_limit").asText()).isEqualTo("allowed");
        assertThat(lines.get(2).get("rate_limit").asText()).isEqualTo("denied");
        assertThat(lines.get(2).get("reason").asText()).isEqualTo("rate_limited");
        assertThat(lines.get(2).get("upstream").isNull()).isTrue();
    }

    @Test
    void withoutTracingTheIdsAreNull() throws Exception {
        Path file = dir.resolve("access.log");
        gateway = start("{output: file, file: " + file + "}", "");

        assertThat(get("/api/a").statusCode()).isEqualTo(200);

        JsonNode line = awaitLines(file, 1).get(0);
        assertThat(line.get("trace_id").isNull()).isTrue();
        assertThat(line.get("span_id").isNull()).isTrue();
    }

    @Test
    void rotatesBySizeAndKeepsAtMostMaxFilesOldFiles() throws Exception {
        Path file = dir.resolve("access.log");
        gateway = start("{output: file, file: " + file + ", maxFileSize: 1KiB, maxFiles: 2}", "");

        for (int i = 0; i < 30; i++) {
            assertThat(get("/api/" + i).statusCode()).isEqualTo(200);
        }
        gateway.close(); // writes what is queued
        gateway = null;

        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(path -> path.getFileName().toString()).sorted().toList();
        }
        assertThat(names).containsExactly("access.log", "access.log.1", "access.log.2");
        for (String name : names) {
            assertThat(Files.size(dir.resolve(name))).as(name).isPositive().isLessThanOrEqualTo(1024);
        }
        assertThat(Files.readAllLines(file).get(Files.readAllLines(file).size() - 1)).contains("\"path\":\"/api/29\"");
    }

    @Test
    void countsDroppedLinesOnTheMetricsEndpoint() throws Exception {
        Path file = dir.resolve("access.log");
        gateway = start("{output: file, file: " + file + "}", "");

        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(gateway.adminUri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.body()).contains("gridgate_access_log_dropped_total 0.0");
    }
}
