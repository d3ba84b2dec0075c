package io.gridgate.node.resilience;

import io.gridgate.node.testing.FaultyUpstream;
import io.gridgate.node.testing.FaultyUpstream.Mode;
import io.gridgate.node.testing.RawHttp;
import io.gridgate.node.testing.SlowClient;
import io.gridgate.node.testing.TestCluster;
import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Retries through real HTTP, against upstreams that reset, refuse, answer 503 or hang. */
class RetryTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<FaultyUpstream> upstreams = new ArrayList<>();
    private TestGateway gateway;
    private TestCluster cluster;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        upstreams.forEach(FaultyUpstream::close);
    }

    private FaultyUpstream upstream(Mode mode) {
        FaultyUpstream upstream = FaultyUpstream.start(mode);
        upstreams.add(upstream);
        return upstream;
    }

    /** One node with a route {@code /orders} to the static URL of {@code upstream}. */
    private void staticRoute(FaultyUpstream upstream, String routeSettings) {
        gateway = TestGateway.withRoutes("""
                - id: orders
                  match: {pathPrefix: /orders}
                  upstream: %s
                %s
                """.formatted(upstream.url(), routeSettings.stripIndent().indent(2)));
    }

    /**
     * One node with a route {@code /orders} to the registered service {@code orders}, whose
     * instances are these upstreams, registered and routable when this returns.
     */
    private void serviceRoute(String serviceSettings, String routeSettings, FaultyUpstream... instances) {
        cluster = TestCluster.start(1, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, registrationToken: %s}
                services:
                  orders:
                %s
                routes:
                  - id: orders
                    match: {pathPrefix: /orders}
                    upstream: "service:orders"
                %s
                """.formatted(TestCluster.TOKEN, serviceSettings.stripIndent().indent(4),
                routeSettings.stripIndent().indent(4)));
        for (int i = 0; i < instances.length; i++) {
            assertThat(cluster.register(0, "orders", "orders-" + i, instances[i].instanceJson()).statusCode())
                    .isEqualTo(201);
        }
        await().until(() -> cluster.node(0).grid().registry().instances("orders").size() == instances.length);
    }

    private URI uri(String path) {
        return gateway != null ? gateway.uri(path) : cluster.uri(0, path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)));
    }

    /** A body long enough to cross several socket writes, and whose every position is checkable. */
    private static String body(int length) {
        StringBuilder body = new StringBuilder(length);
        for (int i = 0; body.length() < length; i++) {
            body.append(i).append(',');
        }
        return body.substring(0, length);
    }

    @Test
    void retriesAGetOnTheOtherInstanceWhenTheFirstResetsTheConnection() throws Exception {
        FaultyUpstream resetting = upstream(Mode.reset());
        FaultyUpstream healthy = upstream(Mode.answer(200, "healthy"));
        serviceRoute("outlierDetection: {consecutiveFailures: 0}", "retry: {attempts: 2}", resetting, healthy);

        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            responses.add(get("/orders/" + i));
        }

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("healthy");
        });
        assertThat(resetting.requests()).as("round robin sends some first tries to the resetting instance").isPositive();
        assertThat(resetting.received()).allSatisfy(request -> assertThat(request.method()).isEqualTo("GET"));
        assertThat(healthy.requests()).as("each request reached the healthy instance exactly once").isEqualTo(4);
    }

    @Test
    void keepsRetriesToADeadUpstreamWithinItsRetryBudget() throws Exception {
        FaultyUpstream dead = upstream(Mode.reset());
        serviceRoute("""
                outlierDetection: {consecutiveFailures: 0}
                circuitBreaker: {enabled: false}
                retryBudget: {percent: 20, minRetriesPerSecond: 0}
                """, "retry: {attempts: 3, backoff: {base: 1ms, max: 2ms}}", dead);

        int requests = 200;
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = get("/orders");
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("\"error\":\"upstream_reset\"");
        }

        int attempts = dead.requests();
        System.out.printf("%d requests to a dead upstream with attempts: 3 and a 20 %% budget made %d attempts%n",
                requests, attempts);
        assertThat(attempts).as("attempts for %d requests", requests).isLessThanOrEqualTo(requests * 120 / 100);
        assertThat(attempts).as("some requests were retried").isGreaterThan(requests);
    }

    @Test
    void neverRetriesAPostAndAnswers502() throws Exception {
        FaultyUpstream upstream = upstream(Mode.answer(200, "created")).next(Mode.reset());
        staticRoute(upstream, "retry: {attempts: 2}");

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/orders"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"item\": 1}")));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"error\":\"upstream_reset\"");
        assertThat(upstream.requests()).isEqualTo(1);
    }

    @Test
    void retriesAPostThatCarriesAnIdempotencyKeyAndSendsItsBodyAgainIntact() throws Exception {
        FaultyUpstream upstream = upstream(Mode.answer(200, "created")).next(Mode.reset());
        staticRoute(upstream, "retry: {attempts: 2}");
        String body = body(20_000);

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/orders"))
                .header("Idempotency-Key", "order-7")
                .POST(HttpRequest.BodyPublishers.ofString(body)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("created");
        assertThat(upstream.requests()).isEqualTo(2);
        FaultyUpstream.Received second = upstream.received().get(1);
        assertThat(second.method()).isEqualTo("POST");
        assertThat(second.header("Idempotency-Key")).isEqualTo("order-7");
        assertThat(second.body()).isEqualTo(body);
    }

    @Test
    void keepsABodyThatArrivesInPiecesAndSendsItAgainIntact() throws Exception {
        FaultyUpstream upstream = upstream(Mode.answer(200, "created")).next(Mode.reset());
        staticRoute(upstream, "retry: {attempts: 2}");
        byte[] body = body(4_000).getBytes(StandardCharsets.US_ASCII);

        RawHttp.Response response = SlowClient.send(gateway.port(), """
                PUT /orders/7 HTTP/1.1\r
                Host: gw.test\r
                Content-Length: %d\r
                \r
                """.formatted(body.length), body, 1_000, Duration.ofMillis(100));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("created");
        assertThat(upstream.requests()).isEqualTo(2);
        assertThat(upstream.received().get(1).body()).isEqualTo(new String(body, StandardCharsets.US_ASCII));
    }

    @Test
    void retriesAnyPostOnARouteThatAllowsNonIdempotentRetries() throws Exception {
        FaultyUpstream upstream = upstream(Mode.answer(200, "created")).next(Mode.reset());
        staticRoute(upstream, "retry: {attempts: 2, nonIdempotent: true}");
        String body = body(3_000);

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/orders"))
                .POST(HttpRequest.BodyPublishers.ofString(body)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(upstream.requests()).isEqualTo(2);
        assertThat(upstream.received().get(1).body()).isEqualTo(body);
    }

    @Test
    void retriesA503AndAnswersWithTheNextTrysResponse() throws Exception {
        FaultyUpstream upstream = upstream(Mode.answer(200, "recovered")).next(Mode.answer(503, "busy"));
        staticRoute(upstream, "retry: {attempts: 2, backoff: {base: 1ms, max: 2ms}}");

        HttpResponse<String> response = get("/orders");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("recovered");
        assertThat(upstream.requests()).isEqualTo(2);
    }

    @Test
    void passesOnTheUpstreamsOwnLast503WhenEveryTryGetsOne() throws Exception {
        FaultyUpstream upstream = upstream(Mode.answer(503, "third no", "X-Try", "3", "Retry-After", "7"))
                .next(Mode.answer(503, "first no", "X-Try", "1"), Mode.answer(503, "second no", "X-Try", "2"));
        staticRoute(upstream, "retry: {attempts: 3, backoff: {base: 1ms, max: 2ms}}");

        HttpResponse<String> response = get("/orders");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("third no");
        assertThat(response.headers().firstValue("x-try")).hasValue("3");
        assertThat(response.headers().firstValue("retry-after")).hasValue("7");
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain");
        assertThat(upstream.requests()).isEqualTo(3);
    }

    @Test
    void givesUpOnAHangingInstanceAfterThePerTryTimeoutAndAnswersFromTheOther() throws Exception {
        FaultyUpstream hanging = upstream(Mode.hang());
        FaultyUpstream healthy = upstream(Mode.answer(200, "healthy"));
        serviceRoute("outlierDetection: {consecutiveFailures: 0}", """
                timeouts: {connect: 1s, responseHeader: 5s, total: 5s}
                retry: {attempts: 2, perTryTimeout: 300ms, on: [timeout]}
                """, hanging, healthy);

        long slowest = 0;
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = get("/orders");
            slowest = Math.max(slowest, System.nanoTime() - start);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("healthy");
        }

        assertThat(hanging.requests()).as("round robin sends a first try to the hanging instance").isPositive();
        assertThat(healthy.requests()).isEqualTo(2);
        assertThat(Duration.ofNanos(slowest)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
    }

    @Test
    void neverResendsAChunkedBodyLargerThanMaxBufferedBodyAfterAReset() throws Exception {
        FaultyUpstream upstream = upstream(Mode.answer(200, "stored")).next(Mode.reset());
        staticRoute(upstream, "retry: {attempts: 2, maxBufferedBody: 1KiB}");
        byte[] body = body(8_192).getBytes();

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/orders/blob"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"error\":\"upstream_reset\"");
        assertThat(upstream.requests()).isEqualTo(1);
        assertThat(upstream.received().get(0).header("Transfer-Encoding")).isEqualTo("chunked");
    }

    @Test
    void sendsAStreamedBodyToTheNextInstanceWhenTheFirstRefusesTheConnection() throws Exception {
        int refusing;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = socket.getLocalPort();
        }
        FaultyUpstream healthy = upstream(Mode.answer(200, "stored"));
        serviceRoute("outlierDetection: {consecutiveFailures: 0}", "retry: {attempts: 2, maxBufferedBody: 1KiB}", healthy);
        assertThat(cluster.register(0, "orders", "refusing",
                "{\"host\":\"127.0.0.1\",\"port\":" + refusing + ",\"ttlSeconds\":30}").statusCode()).isEqualTo(201);
        await().until(() -> cluster.node(0).grid().registry().instances("orders").size() == 2);
        String body = body(8_192);

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/orders/blob"))
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.getBytes()))));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }

        assertThat(cluster.node(0).breakers().find("orders").orElseThrow().bufferedCalls())
                .as("two successes and one or two refused tries, as round robin alternates").isBetween(3, 4);
        assertThat(healthy.received()).extracting(FaultyUpstream.Received::body).containsExactly(body, body);
    }

    @Test
    void neverResendsASizedBodyLargerThanMaxBufferedBodyAfterAReset() throws Exception {
        FaultyUpstream upstream = upstream(Mode.answer(200, "stored")).next(Mode.reset());
        staticRoute(upstream, "retry: {attempts: 2, maxBufferedBody: 1KiB}");

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/orders/blob"))
                .PUT(HttpRequest.BodyPublishers.ofString(body(8_192))));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(upstream.requests()).isEqualTo(1);
    }

    @Test
    void resendsASizedBodyWithinMaxBufferedBodyAfterAReset() throws Exception {
        FaultyUpstream upstream = upstream(Mode.answer(200, "stored")).next(Mode.reset());
        staticRoute(upstream, "retry: {attempts: 2, maxBufferedBody: 1KiB}");
        String body = body(1_024);

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/orders/blob"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(upstream.requests()).isEqualTo(2);
        assertThat(upstream.received().get(1).body()).isEqualTo(body);
    }
}
