package io.gridgate.node.cache;

import io.gridgate.node.testing.TestCluster;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The cache of a 3-node cluster on Hazelcast's mock network: one upstream request per cold key, purges everywhere. */
class CacheClusterTest {

    private final AtomicInteger upstreamRequests = new AtomicInteger();
    /** {@code /catalog/cold} is slow enough that all the concurrent misses arrive while the first is upstream. */
    private final TestUpstream upstream = TestUpstream.start(exchange -> {
        int n = upstreamRequests.incrementAndGet();
        Runnable answer = () -> {
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=60");
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            exchange.getResponseHeaders().put(new io.undertow.util.HttpString("Cache-Tag"), "catalog");
            exchange.getResponseSender().send("version " + n);
        };
        if (exchange.getRequestPath().endsWith("/cold")) {
            TestUpstream.answerAfter(exchange, Duration.ofMillis(300), answer);
        } else {
            answer.run();
        }
    });
    /** HTTP/1.1: over HTTP/2 the client sends its own :authority, not the Host set here. */
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        upstream.close();
    }

    private void start() {
        cluster = TestCluster.start(3, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, token: admin-token-for-tests}
                routes:
                  - id: catalog
                    match: {pathPrefix: /catalog}
                    upstream: %s
                    cache: {singleFlightWait: 5s}
                """.formatted(upstream.url()));
        cluster.awaitSafeState();
    }

    @Test
    void aHundredConcurrentMissesForOneColdKeyOnThreeNodesSendOneRequestUpstream() {
        start();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            responses.add(client.sendAsync(request(i % 3, "/catalog/cold"), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> done = responses.stream().map(CompletableFuture::join).toList();

        assertThat(done).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("version 1");
        });
        Map<String, Long> outcomes = done.stream().collect(Collectors.groupingBy(
                r -> r.headers().firstValue("X-Cache").orElse("none"), Collectors.counting()));
        System.out.println("100 concurrent cold requests over 3 nodes: upstream saw " + upstreamRequests.get()
                + ", X-Cache " + outcomes);
        assertThat(upstreamRequests).hasValue(1);
        assertThat(outcomes).containsEntry("MISS", 1L).containsEntry("HIT", 99L);
    }

    @Test
    void aResponseFetchedWhileAPurgeRanIsNotStored() {
        start();
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(request(1, "/catalog/items/cold"),
                HttpResponse.BodyHandlers.ofString());
        await().until(() -> upstreamRequests.get() == 1); // the upstream holds it for 300 ms
        assertThat(purge(0, "{\"prefix\": \"/catalog/\"}").statusCode()).isEqualTo(200);

        HttpResponse<String> fetched = inFlight.join();
        assertThat(fetched.body()).isEqualTo("version 1");
        HttpResponse<String> next = get(2, "/catalog/items/cold");
        assertThat(next.headers().firstValue("X-Cache")).contains("MISS");
        assertThat(next.body()).isEqualTo("version 2");
    }

    /**
     * A request to one node with the Host every node sees behind a balancer (the key has the Host
     * as sent, and each test node listens on its own port).
     */
    private HttpRequest request(int node, String path) {
        return HttpRequest.newBuilder(cluster.uri(node, path)).header("Host", "catalog.example").build();
    }

    private HttpResponse<String> get(int node, String path) {
        return client.sendAsync(request(node, path), HttpResponse.BodyHandlers.ofString()).join();
    }

    private HttpResponse<String> purge(int node, String json) {
        return cluster.send(HttpRequest.newBuilder(cluster.adminUri(node, "/admin/cache/purge"))
                .header("Authorization", "Bearer admin-token-for-tests").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void aPurgeThroughNodeOneStopsEveryNodeServingTheEntryWithinASecond() {
        start();
        for (int node = 0; node < 3; node++) {
            // Twice per node: the second read puts the entry in that node's near cache.
            assertThat(get(node, "/catalog/items").body()).isEqualTo("version 1");
            assertThat(get(node, "/catalog/items").headers().firstValue("X-Cache")).contains("HIT");
        }

        long purged = System.nanoTime();
        HttpResponse<String> purge = purge(0, "{\"tag\": \"catalog\"}");
        assertThat(purge.statusCode()).as(purge.body()).isEqualTo(200);
        long[] missedAfterMillis = new long[3];
        for (int node = 1; node < 3; node++) {
            int n = node;
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5)).until(() ->
                    !get(n, "/catalog/items").body().equals("version 1"));
            missedAfterMillis[node] = Duration.ofNanos(System.nanoTime() - purged).toMillis();
        }
        System.out.printf("purge by tag through node 1: node 2 stopped serving the entry after %d ms, node 3 after %d ms%n",
                missedAfterMillis[1], missedAfterMillis[2]);
        assertThat(get(0, "/catalog/items").body()).isNotEqualTo("version 1");
    }
}
