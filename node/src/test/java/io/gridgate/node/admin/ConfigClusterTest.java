package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.testing.TestCluster;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A configuration change on a cluster of three nodes (mock network): it reaches every node within a
 * second, requests keep flowing while versions swap, and a request in flight finishes on the route it
 * started with.
 */
class ConfigClusterTest {

    private static final Logger LOG = Logger.getLogger(ConfigClusterTest.class.getName());
    private static final String TOKEN = "cluster-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newHttpClient();
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private final CountDownLatch slowArrived = new CountDownLatch(1);
    private TestUpstream first;
    private TestUpstream second;
    private TestCluster cluster;

    @BeforeEach
    void start() {
        first = TestUpstream.start(exchange -> {
            if (exchange.getRequestPath().startsWith("/slow")) {
                slowArrived.countDown();
                exchange.dispatch(() -> {
                    try {
                        releaseSlow.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.getResponseSender().send("first");
                });
                return;
            }
            exchange.getResponseSender().send("first");
        });
        second = TestUpstream.start(exchange -> exchange.getResponseSender().send("second"));
        cluster = TestCluster.start(3, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, token: %s}
                accessLog: {enabled: false}
                routes:
                  - id: items
                    match: {pathPrefix: /items}
                    upstream: %s
                  - id: slow
                    match: {pathPrefix: /slow}
                    upstream: %s
                """.formatted(TOKEN, first.url(), first.url()));
    }

    @AfterEach
    void stop() {
        releaseSlow.countDown();
        cluster.close();
        first.close();
        second.close();
    }

    private HttpResponse<String> putRoute(int node, String id, String upstream, long basedOn) throws Exception {
        String route = "{\"match\": {\"pathPrefix\": \"/" + id + "\"}, \"upstream\": \"" + upstream + "\"}";
        return client.send(HttpRequest.newBuilder(cluster.adminUri(node, "/admin/routes/" + id))
                .PUT(HttpRequest.BodyPublishers.ofString(route)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN).header("If-Match", "\"" + basedOn + "\"").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> deleteRoute(int node, String id, long basedOn) throws Exception {
        return client.send(HttpRequest.newBuilder(cluster.adminUri(node, "/admin/routes/" + id)).DELETE()
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN).header("If-Match", "\"" + basedOn + "\"").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aChangeThroughOneNodeIsServedByEveryNodeWithinASecond() throws Exception {
        for (int node = 0; node < 3; node++) {
            assertThat(cluster.get(node, "/carts/1").statusCode()).isEqualTo(404);
        }

        HttpResponse<String> changed = putRoute(0, "carts", second.url(), 1);
        long committed = System.nanoTime();

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        Map<Integer, Long> millis = new ConcurrentHashMap<>();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
            for (int node = 0; node < 3; node++) {
                if (!millis.containsKey(node) && "second".equals(cluster.get(node, "/carts/1").body())) {
                    millis.put(node, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - committed));
                }
            }
            assertThat(millis).hasSize(3);
        });
        LOG.info(() -> "route served after the change answered, by node: " + millis + " ms");
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode view = JSON.readTree(client.send(HttpRequest.newBuilder(cluster.adminUri(2, "/admin/cluster"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(view.path("members")).hasSize(3)
                    .allSatisfy(member -> assertThat(member.path("configVersion").asLong()).isEqualTo(2));
        });
    }

    @Test
    void requestsKeepFlowingWhileVersionsSwap() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> senders = java.util.stream.IntStream.range(0, 3).mapToObj(node ->
                CompletableFuture.runAsync(() -> {
                    while (running.get()) {
                        HttpResponse<String> response = cluster.get(node, "/items/1");
                        if (response.statusCode() != 200 || !"first".equals(response.body())) {
                            failures.add("node " + node + ": " + response.statusCode() + " " + response.body());
                        }
                        answered.incrementAndGet();
                    }
                })).toList();

        long version = 1;
        for (int change = 0; change < 10; change++) {
            HttpResponse<String> response = change % 2 == 0
                    ? putRoute(change % 3, "extra", second.url(), version)
                    : deleteRoute(change % 3, "extra", version);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            version++;
        }
        running.set(false);
        CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(failures).isEmpty();
        assertThat(answered.get()).isGreaterThan(10);
    }

    @Test
    void aRequestInFlightFinishesOnTheRouteItStartedWith() throws Exception {
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                HttpRequest.newBuilder(cluster.uri(1, "/slow/1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(slowArrived.await(5, TimeUnit.SECONDS)).as("the request reached the first upstream").isTrue();

        HttpResponse<String> changed = putRoute(0, "slow", second.url(), 1);
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).until(() -> "second".equals(cluster.get(1, "/slow/2").body()));
        releaseSlow.countDown();

        HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).isEqualTo("first");
    }
}
