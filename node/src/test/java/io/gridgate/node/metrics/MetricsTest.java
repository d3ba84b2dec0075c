package io.gridgate.node.metrics;

import io.gridgate.cluster.ServiceInstance;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /metrics} over real HTTP, after real requests through a real node and upstream. */
class MetricsTest {

    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private final TestUpstream upstream = TestUpstream.start(exchange -> {
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=60");
        exchange.getResponseSender().send("ok");
    });
    private final HttpClient client = HttpClient.newHttpClient();
    private TestGateway gateway;

    @BeforeEach
    void start() {
        gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 5s}
                admin: {bindAddress: 127.0.0.1, port: 0, token: metrics-test-admin-token}
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
                    rateLimits: [{id: two, limits: [{permits: 2, per: 1m}], key: [route]}]
                """.formatted(upstream.url()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private int send(String method, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(gateway.uri(path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private HttpResponse<String> scrape(String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.adminUri("/metrics"));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Exposition exposition() throws IOException, InterruptedException {
        HttpResponse<String> response = scrape(null);
        assertThat(response.statusCode()).isEqualTo(200);
        return Exposition.parse(response.body());
    }

    /** Requests are recorded when their exchange completes, which can be just after the client has the response. */
    private void eventually(ThrowingAssertion assertion) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            Exposition exposition = exposition();
            try {
                assertion.check(exposition);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nin:\n" + gridgateLines(exposition), e);
            }
        });
    }

    private static String gridgateLines(Exposition exposition) {
        return exposition.text().lines().filter(line -> line.startsWith("gridgate_") && !line.contains("_bucket"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private interface ThrowingAssertion {
        void check(Exposition exposition) throws Exception;
    }

    @Test
    void countsRequestsByRouteMethodAndStatusClassWithTheirDurations() throws Exception {
        assertThat(send("GET", "/api/a")).isEqualTo(200);
        assertThat(send("GET", "/api/b")).isEqualTo(200);
        assertThat(send("POST", "/api/a")).isEqualTo(200);
        assertThat(send("BREW", "/api/coffee")).isEqualTo(200);
        assertThat(send("GET", "/nowhere")).isEqualTo(404);

        eventually(metrics -> {
            String[] getApi = {"route", "api", "method", "GET", "status_class", "2xx"};
            assertThat(metrics.value("gridgate_requests_total", getApi)).hasValue(2);
            assertThat(metrics.value("gridgate_requests_total", "route", "api", "method", "POST", "status_class", "2xx")).hasValue(1);
            assertThat(metrics.value("gridgate_requests_total", "route", "api", "method", "other", "status_class", "2xx"))
                    .as("a method outside the fixed set").hasValue(1);
            assertThat(metrics.value("gridgate_requests_total", "route", "none", "method", "GET", "status_class", "4xx"))
                    .as("no route matched").hasValue(1);
            assertThat(metrics.value("gridgate_request_duration_seconds_count", getApi)).hasValue(2);
            assertThat(metrics.value("gridgate_request_duration_seconds_bucket",
                    "route", "api", "method", "GET", "status_class", "2xx", "le", "+Inf")).hasValue(2);
            assertThat(metrics.value("gridgate_request_duration_seconds_bucket",
                    "route", "api", "method", "GET", "status_class", "2xx", "le", "5.0")).hasValue(2);
            assertThat(metrics.value("gridgate_request_duration_seconds_sum", getApi).orElseThrow()).isPositive();
        });
    }

    @Test
    void countsLocalRepliesByTheirReasonCode() throws Exception {
        assertThat(send("GET", "/nowhere")).isEqualTo(404);
        assertThat(send("GET", "/nowhere/else")).isEqualTo(404);

        eventually(metrics -> {
            assertThat(metrics.value("gridgate_local_replies_total", "reason", "no_route")).hasValue(2);
            assertThat(metrics.has("gridgate_local_replies_total"))
                    .as("reasons never given stay out of the exposition").isTrue();
            assertThat(metrics.value("gridgate_local_replies_total", "reason", "rate_limited")).isEmpty();
        });
    }

    @Test
    void countsCacheResultsOfCachingRoutesOnly() throws Exception {
        send("GET", "/items/1");
        send("GET", "/items/1");
        send("GET", "/items/1");
        send("GET", "/api/a");

        eventually(metrics -> {
            assertThat(metrics.value("gridgate_cache_results_total", "route", "items", "result", "MISS")).hasValue(1);
            assertThat(metrics.value("gridgate_cache_results_total", "route", "items", "result", "HIT")).hasValue(2);
            assertThat(metrics.value("gridgate_cache_results_total", "route", "api", "result", "MISS"))
                    .as("a route without a cache has no cache results").isEmpty();
            assertThat(metrics.value("gridgate_requests_total", "route", "items", "method", "GET", "status_class", "2xx"))
                    .hasValue(3);
        });
    }

    @Test
    void timesUpstreamsAndCountsRateLimitDecisionsAndTheCachesOwnState() throws Exception {
        send("GET", "/api/a");
        send("GET", "/items/9");
        for (int i = 0; i < 3; i++) {
            send("GET", "/limited");
        }
        String upstreamName = "http://127.0.0.1:" + upstream.port();

        eventually(metrics -> {
            assertThat(metrics.value("gridgate_upstream_duration_seconds_count", "upstream", upstreamName,
                    "status_class", "2xx")).as("api, the cache miss and two admitted requests").hasValue(4);
            assertThat(metrics.value("gridgate_rate_limit_decisions_total", "route", "limited", "decision", "allowed"))
                    .hasValue(2);
            assertThat(metrics.value("gridgate_rate_limit_decisions_total", "route", "limited", "decision", "denied"))
                    .hasValue(1);
            assertThat(metrics.value("gridgate_rate_limit_decisions_total", "route", "api", "decision", "allowed"))
                    .as("a route without limits decides nothing").isEmpty();
            assertThat(metrics.value("gridgate_cache_entries", "store", "grid")).hasValue(1);
            assertThat(metrics.value("gridgate_cache_evictions_total", "store", "grid")).hasValue(0);
            assertThat(metrics.value("gridgate_cache_bytes").orElseThrow()).isPositive();
            assertThat(metrics.value("gridgate_grid_operation_duration_seconds_count",
                    "operation", "rate_limit.acquire", "outcome", "ok")).as("one per request on the limited route").hasValue(3);
            assertThat(metrics.value("gridgate_grid_operation_duration_seconds_count",
                    "operation", "cache.put", "outcome", "ok")).hasValue(1);
        });
    }

    @Test
    void readsClusterBreakerRegistryAndJvmGaugesAtScrapeTime() throws Exception {
        gateway.node().grid().registry().register(new ServiceInstance("orders", "orders-1", "http", "127.0.0.1", 9,
                1, Optional.empty(), Map.of(), Duration.ofSeconds(30))).toCompletableFuture().get();
        String breaker = "127.0.0.1:" + upstream.port();

        eventually(metrics -> {
            assertThat(metrics.value("gridgate_cluster_members")).hasValue(1);
            assertThat(metrics.value("gridgate_breaker_state", "breaker", breaker, "state", "CLOSED")).hasValue(1);
            assertThat(metrics.value("gridgate_breaker_state", "breaker", breaker, "state", "OPEN")).hasValue(0);
            assertThat(metrics.value("gridgate_registry_instances", "service", "orders")).hasValue(1);
            assertThat(metrics.has("jvm_memory_used_bytes")).isTrue();
            assertThat(metrics.has("jvm_threads_current")).isTrue();
            assertThat(metrics.has("jvm_gc_collection_seconds_count")).isTrue();
        });
    }

    @Test
    void showsAConfigurationVersionThatCouldNotBeWrittenToDisk(@TempDir Path data) throws Exception {
        try (TestGateway withDisk = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                cluster: {dataDir: %s}
                routes: []
                """.formatted(data))) {
            Files.createDirectory(data.resolve("shared-config.json.tmp")); // the next write cannot open its file
            withDisk.node().grid().config().change(1, "{\"routes\":[]}", "test").toCompletableFuture().get();
            withDisk.node().liveConfig().whenRunning(2).get(10, TimeUnit.SECONDS);

            Exposition metrics = Exposition.parse(client.send(HttpRequest.newBuilder(withDisk.adminUri("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(metrics.value("gridgate_config_version")).hasValue(2);
            assertThat(metrics.value("gridgate_config_disk_version")).as("still the version before").hasValue(1);
            assertThat(metrics.value("gridgate_config_disk_write_failures_total")).hasValue(1);
        }
    }

    @Test
    void servesThePrometheusTextFormatWithoutTheAdminToken() throws Exception {
        send("GET", "/api/a");
        eventually(metrics -> assertThat(metrics.has("gridgate_request_duration_seconds_count")).isTrue());

        HttpResponse<String> response = scrape(null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("# TYPE gridgate_requests_total counter")
                .contains("# TYPE gridgate_request_duration_seconds histogram")
                .doesNotContain("# EOF");
    }

    @Test
    void servesOpenMetricsWhenTheScraperAsksForIt() throws Exception {
        send("GET", "/api/a");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> response = scrape(PROMETHEUS_ACCEPT);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .contains("application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertThat(response.body()).endsWith("# EOF\n");
            assertThat(Exposition.parse(response.body()).value("gridgate_requests_total",
                    "route", "api", "method", "GET", "status_class", "2xx")).hasValue(1);
        });
    }

    @Test
    void anAcceptOfNoKnownFormatGetsThePrometheusTextFormat() throws Exception {
        HttpResponse<String> response = scrape("application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
    }
}
