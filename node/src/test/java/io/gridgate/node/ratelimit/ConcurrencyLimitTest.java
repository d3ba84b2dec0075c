package io.gridgate.node.ratelimit;

import io.gridgate.node.testing.TestCluster;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.server.HttpHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** In-flight bounds with a queue: requests held at a real upstream until the test lets them go. */
class ConcurrencyLimitTest {

    private final Semaphore arrived = new Semaphore(0);
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpClient client = HttpClient.newHttpClient();
    private TestUpstream upstream;
    private TestCluster cluster;

    @AfterEach
    void stop() {
        release.countDown();
        cluster.close();
        upstream.close();
    }

    private void start(String limit) {
        start(1, limit);
    }

    private void start(int nodes, String limit) {
        HttpHandler held = exchange -> {
            arrived.release();
            release.await(30, TimeUnit.SECONDS);
            exchange.getResponseSender().send("done");
        };
        upstream = TestUpstream.start(exchange -> exchange.dispatch(held));
        cluster = TestCluster.withRoutes(nodes, """
                - id: slow
                  match: {pathPrefix: /slow}
                  upstream: %s
                  concurrency:
                %s
                """.formatted(upstream.url(), limit.stripIndent().indent(4)));
    }

    private CompletableFuture<HttpResponse<String>> send() {
        return send(0);
    }

    private CompletableFuture<HttpResponse<String>> send(int node) {
        return client.sendAsync(HttpRequest.newBuilder(cluster.uri(node, "/slow")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsOverTheBoundWaitInTheQueueAndRunWhenASlotFrees() throws Exception {
        start("""
                - {id: two-at-a-time, maxInFlight: 2, queue: {size: 5, timeout: 10s}}
                """);
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            responses.add(send());
        }

        assertThat(arrived.tryAcquire(2, 10, TimeUnit.SECONDS)).isTrue();
        assertThat(arrived.tryAcquire(1, 300, TimeUnit.MILLISECONDS)).as("a third request reached the upstream").isFalse();
        release.countDown();

        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(arrived.availablePermits()).isEqualTo(3);
    }

    @Test
    void aFullQueueOrAnExpiredWaitIsRefused() throws Exception {
        start("""
                - {id: one-at-a-time, maxInFlight: 1, queue: {size: 1, timeout: 200ms}, refuseWith: 429}
                """);
        CompletableFuture<HttpResponse<String>> running = send();
        assertThat(arrived.tryAcquire(1, 10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<HttpResponse<String>> queued = send();

        HttpResponse<String> overflow = send().get(10, TimeUnit.SECONDS);
        HttpResponse<String> expired = queued.get(10, TimeUnit.SECONDS);

        assertThat(overflow.statusCode()).isEqualTo(429);
        assertThat(overflow.body()).contains("\"error\":\"too_many_in_flight\"", "concurrency limit one-at-a-time reached");
        assertThat(expired.statusCode()).isEqualTo(429);
        release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(send().get(10, TimeUnit.SECONDS).statusCode()).as("the slot was released").isEqualTo(200);
    }

    @Test
    void aClusterScopedLimitCountsRequestsOnEveryNode() throws Exception {
        start(2, """
                - {id: cluster-two, maxInFlight: 2, scope: cluster}
                """);
        CompletableFuture<HttpResponse<String>> first = send(0);
        CompletableFuture<HttpResponse<String>> second = send(0);
        assertThat(arrived.tryAcquire(2, 10, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> third = send(1).get(10, TimeUnit.SECONDS);

        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.body()).contains("\"error\":\"overloaded\"");
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> send(1).get(10, TimeUnit.SECONDS).statusCode() == 200);
    }
}
