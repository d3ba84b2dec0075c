package io.gridgate.node.cache;

import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stale answers: stale-while-revalidate and stale-if-error, with entries that go stale after a second. */
class CacheStaleTest {

    private final AtomicInteger upstreamRequests = new AtomicInteger();
    private final AtomicReference<String> cacheControl = new AtomicReference<>();
    private final AtomicInteger failWith = new AtomicInteger();
    private final TestUpstream upstream = TestUpstream.start(exchange -> {
        int n = upstreamRequests.incrementAndGet();
        if (failWith.get() != 0) {
            exchange.setStatusCode(failWith.get());
            exchange.getResponseSender().send("upstream error " + n);
            return;
        }
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, cacheControl.get());
        exchange.getResponseSender().send("response " + n);
    });
    private final HttpClient client = HttpClient.newHttpClient();
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private void start(String cacheControlValue, String upstreamUrl) {
        cacheControl.set(cacheControlValue);
        gateway = TestGateway.withRoutes("""
                - id: items
                  match: {pathPrefix: /items}
                  upstream: %s
                  retry: {attempts: 1}
                  cache: {maxStale: 1m}
                """.formatted(upstreamUrl));
    }

    private HttpResponse<String> get() throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri("/items/1")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String xCache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void withinStaleWhileRevalidateOneRequestRefreshesTheEntry() throws Exception {
        start("max-age=1, stale-while-revalidate=30", upstream.url());
        assertThat(get().body()).isEqualTo("response 1");
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> !xCache(get()).equals("HIT"));
        // The request that found the entry stale fetched a new one (MISS); the next ones hit it.
        assertThat(upstreamRequests).hasValue(2);
        HttpResponse<String> after = get();
        assertThat(after.body()).isEqualTo("response 2");
        assertThat(xCache(after)).isEqualTo("HIT");
    }

    @Test
    void withinStaleIfErrorAnUpstreamErrorIsAnsweredWithTheStaleEntry() throws Exception {
        start("max-age=1, stale-if-error=30", upstream.url());
        assertThat(get().body()).isEqualTo("response 1");
        failWith.set(503);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> !xCache(get()).equals("HIT"));

        HttpResponse<String> stale = get();
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo("response 1");
        assertThat(xCache(stale)).isEqualTo("STALE");
        assertThat(Long.parseLong(stale.headers().firstValue("Age").orElseThrow())).isGreaterThanOrEqualTo(1);
        assertThat(upstreamRequests.get()).as("each stale answer first asked the upstream").isGreaterThanOrEqualTo(3);

        failWith.set(0);
        assertThat(get().body()).as("the upstream is back: a new response").startsWith("response ");
        assertThat(xCache(get())).isEqualTo("HIT");
    }

    @Test
    void withoutStaleIfErrorAnUpstreamErrorReachesTheClient() throws Exception {
        start("max-age=1", upstream.url());
        assertThat(get().body()).isEqualTo("response 1");
        failWith.set(503);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> get().statusCode() == 503);
        HttpResponse<String> error = get();
        assertThat(error.body()).startsWith("upstream error");
        assertThat(xCache(error)).isEqualTo("MISS");
    }

    @Test
    void mustRevalidateForbidsStaleAnswers() throws Exception {
        start("max-age=1, stale-if-error=30, must-revalidate", upstream.url());
        assertThat(get().body()).isEqualTo("response 1");
        failWith.set(500);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> get().statusCode() == 500);
    }

    @Test
    void aGatewayErrorToAnUnreachableUpstreamIsAnsweredWithTheStaleEntry() throws Exception {
        TestUpstream doomed = TestUpstream.start(exchange -> {
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=1, stale-if-error=30");
            exchange.getResponseSender().send("before the outage");
        });
        start("unused", doomed.url());
        assertThat(get().body()).isEqualTo("before the outage");
        doomed.close();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> xCache(get()).equals("STALE"));
        HttpResponse<String> stale = get();
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo("before the outage");
    }
}
