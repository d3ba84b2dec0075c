package io.gridgate.node.proxy;

import io.gridgate.node.testing.RawHttp;
import io.gridgate.node.testing.SilentUpstream;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<HeaderMap> seenHeaders = new AtomicReference<>();
    private final AtomicReference<String> seenUri = new AtomicReference<>();
    private TestUpstream upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private void recordingUpstream() {
        upstream = TestUpstream.start(exchange -> {
            seenHeaders.set(copy(exchange.getRequestHeaders()));
            seenUri.set(exchange.getRequestURI() + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString()));
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            exchange.getResponseSender().send("hello from upstream");
        });
    }

    private static HeaderMap copy(HeaderMap headers) {
        HeaderMap copy = new HeaderMap();
        headers.forEach(values -> copy.addAll(values.getHeaderName(), values));
        return copy;
    }

    @Test
    void forwardsTheRequestAndReturnsTheUpstreamResponse() throws Exception {
        recordingUpstream();
        gateway = TestGateway.withRoutes("""
                - id: api
                  match: {pathPrefix: /api}
                  upstream: %s/base
                """.formatted(upstream.url()));

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/api/items?x=1&y=%20")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello from upstream");
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain");
        assertThat(seenUri.get()).isEqualTo("/base/api/items?x=1&y=%20");
    }

    @Test
    void neverForwardsHopByHopHeadersNorHeadersNamedInConnection() throws Exception {
        upstream = TestUpstream.start(exchange -> {
            seenHeaders.set(copy(exchange.getRequestHeaders()));
            exchange.getResponseHeaders().put(Headers.CONNECTION, "X-Upstream-Secret");
            exchange.getResponseHeaders().put(Headers.KEEP_ALIVE, "timeout=5");
            exchange.getResponseHeaders().add(new HttpString("X-Upstream-Secret"), "s3");
            exchange.getResponseHeaders().add(new HttpString("X-Kept"), "yes");
            exchange.getResponseSender().send("ok");
        });
        gateway = TestGateway.withRoutes("""
                - id: all
                  upstream: %s
                """.formatted(upstream.url()));

        RawHttp.Response response = RawHttp.exchange(gateway.port(), """
                GET /x HTTP/1.1\r
                Host: gw.test\r
                Connection: keep-alive, X-Secret\r
                X-Secret: do-not-forward\r
                Keep-Alive: timeout=99\r
                Proxy-Connection: keep-alive\r
                TE: trailers\r
                Trailer: X-Foo\r
                Upgrade: h2c-not-really\r
                X-End-To-End: forwarded\r
                \r
                """);

        assertThat(response.status()).isEqualTo(200);
        HeaderMap seen = seenHeaders.get();
        assertThat(seen.getFirst("X-End-To-End")).isEqualTo("forwarded");
        for (String hop : new String[] {"X-Secret", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade"}) {
            assertThat(seen.contains(hop)).as("%s reached the upstream", hop).isFalse();
        }
        assertThat(response.header("X-Upstream-Secret")).isNull();
        assertThat(response.header("Keep-Alive")).isNull();
        assertThat(response.header("X-Kept")).isEqualTo("yes");
    }

    @Test
    void appendsTheClientToXForwardedForAndDescribesTheHop() throws Exception {
        recordingUpstream();
        gateway = TestGateway.withRoutes("""
                - id: all
                  upstream: %s
                  forwarded: true
                """.formatted(upstream.url()));

        RawHttp.exchange(gateway.port(), """
                GET / HTTP/1.1\r
                Host: shop.example.com\r
                X-Forwarded-For: 203.0.113.7\r
                Forwarded: for=203.0.113.7\r
                \r
                """);

        HeaderMap seen = seenHeaders.get();
        assertThat(seen.getFirst(Headers.X_FORWARDED_FOR)).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(seen.getFirst(Headers.X_FORWARDED_PROTO)).isEqualTo("http");
        assertThat(seen.getFirst(Headers.X_FORWARDED_HOST)).isEqualTo("shop.example.com");
        assertThat(seen.getFirst(Headers.FORWARDED))
                .isEqualTo("for=203.0.113.7, for=127.0.0.1;proto=http;host=\"shop.example.com\"");
        assertThat(seen.getFirst(Headers.HOST)).isEqualTo("shop.example.com");
    }

    @Test
    void sendsTheUpstreamAuthorityAsHostWhenTheRouteAsks() throws Exception {
        recordingUpstream();
        gateway = TestGateway.withRoutes("""
                - id: all
                  upstream: %s
                  hostHeader: upstream
                """.formatted(upstream.url()));

        RawHttp.exchange(gateway.port(), "GET / HTTP/1.1\r\nHost: public.example.com\r\n\r\n");

        assertThat(seenHeaders.get().getFirst(Headers.HOST)).isEqualTo("127.0.0.1:" + upstream.port());
    }

    @Test
    void answers502WithAJsonReasonWhenTheUpstreamRefusesConnections() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        gateway = TestGateway.withRoutes("""
                - id: down
                  upstream: http://127.0.0.1:%d
                """.formatted(closedPort));

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).startsWith("{\"status\":502,\"error\":\"upstream_connect_failed\"")
                .contains("127.0.0.1:" + closedPort);
    }

    @Test
    void answers504WhenTheUpstreamSendsNoResponseHeadInTime() throws Exception {
        try (SilentUpstream silent = new SilentUpstream()) {
            gateway = TestGateway.withRoutes("""
                    - id: slow
                      upstream: http://127.0.0.1:%d
                      timeouts: {connect: 1s, responseHeader: 200ms, total: 10s}
                    """.formatted(silent.port()));

            HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body()).contains("\"error\":\"upstream_response_timeout\"");
        }
    }

    @Test
    void answers504WhenTheTotalTimeoutPassesFirst() throws Exception {
        try (SilentUpstream silent = new SilentUpstream()) {
            gateway = TestGateway.withRoutes("""
                    - id: slow
                      upstream: http://127.0.0.1:%d
                      timeouts: {connect: 200ms, responseHeader: 300ms, total: 300ms}
                    """.formatted(silent.port()));

            HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body()).containsAnyOf("\"error\":\"upstream_timeout\"", "\"error\":\"upstream_response_timeout\"");
        }
    }

    @Test
    void answers503WhenThePoolAndItsQueueAreFull() throws Exception {
        try (SilentUpstream silent = new SilentUpstream()) {
            gateway = TestGateway.withRoutes("""
                    - id: tiny
                      upstream: http://127.0.0.1:%d
                      pool: {maxConnections: 1, maxQueue: 0}
                      timeouts: {connect: 5s, responseHeader: 5s, total: 5s}
                    """.formatted(silent.port()));
            var first = client.sendAsync(HttpRequest.newBuilder(gateway.uri("/first")).build(),
                    HttpResponse.BodyHandlers.ofString());
            silent.awaitRequests(1);

            HttpResponse<String> second = client.send(HttpRequest.newBuilder(gateway.uri("/second")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(second.statusCode()).isEqualTo(503);
            assertThat(second.body()).contains("\"error\":\"upstream_pool_full\"");
            first.cancel(true);
        }
    }
}
