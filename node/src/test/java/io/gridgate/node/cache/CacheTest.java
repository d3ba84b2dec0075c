package io.gridgate.node.cache;

import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The response cache over real HTTP: a real upstream, a real node, its grid in the same JVM. */
class CacheTest {

    private final AtomicInteger upstreamRequests = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> seenPaths = new ConcurrentLinkedQueue<>();
    private final TestUpstream upstream = TestUpstream.start(exchange -> {
        int n = upstreamRequests.incrementAndGet();
        seenPaths.add(exchange.getRequestURI());
        String cc = exchange.getQueryParameters().containsKey("cc")
                ? exchange.getQueryParameters().get("cc").getFirst() : "max-age=60";
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, cc);
        exchange.getResponseHeaders().put(Headers.ETAG, "\"v" + n + "\"");
        exchange.getResponseHeaders().put(new HttpString("Surrogate-Key"), "items");
        exchange.getResponseSender().send("response " + n);
    });
    private final HttpClient client = HttpClient.newHttpClient();
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private void start(String cache) {
        gateway = TestGateway.withRoutes("""
                - id: items
                  match: {pathPrefix: /items}
                  upstream: %s
                  cache: %s
                """.formatted(upstream.url(), cache));
    }

    private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSecondGetIsAnsweredFromTheCacheWithAgeAndXCache() throws Exception {
        start("{}");
        HttpResponse<String> first = get("/items/1");
        HttpResponse<String> second = get("/items/1");

        assertThat(first.body()).isEqualTo("response 1");
        assertThat(first.headers().firstValue("X-Cache")).contains("MISS");
        assertThat(second.body()).isEqualTo("response 1");
        assertThat(second.headers().firstValue("X-Cache")).contains("HIT");
        assertThat(second.headers().firstValue("Age")).contains("0");
        assertThat(second.headers().firstValue("ETag")).contains("\"v1\"");
        assertThat(second.headers().firstValue("Content-Length")).contains("10");
        assertThat(upstreamRequests).hasValue(1);
    }

    @Test
    void aMatchingIfNoneMatchGets304FromTheCache() throws Exception {
        start("{}");
        get("/items/1");
        HttpResponse<String> conditional = get("/items/1", "If-None-Match", "\"v1\"");
        assertThat(conditional.statusCode()).isEqualTo(304);
        assertThat(conditional.headers().firstValue("ETag")).contains("\"v1\"");
        assertThat(conditional.body()).isEmpty();
        assertThat(upstreamRequests).hasValue(1);
    }

    @Test
    void noStoreAndPrivateResponsesAreNeverReused() throws Exception {
        start("{}");
        assertThat(get("/items/1?cc=no-store").body()).isEqualTo("response 1");
        assertThat(get("/items/1?cc=no-store").body()).isEqualTo("response 2");
        assertThat(get("/items/2?cc=private").body()).isEqualTo("response 3");
        assertThat(get("/items/2?cc=private").body()).isEqualTo("response 4");
    }

    @Test
    void aRequestAskingForNoCacheBypassesTheCache() throws Exception {
        start("{}");
        get("/items/1");
        HttpResponse<String> bypass = get("/items/1", "Cache-Control", "no-cache");
        assertThat(bypass.headers().firstValue("X-Cache")).contains("BYPASS");
        assertThat(bypass.body()).isEqualTo("response 2");
        assertThat(get("/items/1").body()).as("the bypass refreshed the entry").isEqualTo("response 2");
    }

    @Test
    void aHeadIsAnsweredFromAStoredGet() throws Exception {
        start("{}");
        get("/items/1");
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(gateway.uri("/items/1"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("X-Cache")).contains("HIT");
        assertThat(head.headers().firstValue("Content-Length")).contains("10");
        assertThat(head.body()).isEmpty();
        assertThat(upstreamRequests).hasValue(1);
    }

    @Test
    void anUpgradeRequestIsNeverAnsweredFromTheCache() throws Exception {
        start("{}");
        get("/items/ws");
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
            socket.getOutputStream().write(("GET /items/ws HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port()
                    + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.setSoTimeout(5000);
            String head = new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(head).startsWith("HTTP/1.1 ");
        }
        assertThat(upstreamRequests).as("the handshake went upstream, not to the stored GET").hasValue(2);
    }

    @Test
    void queryOrderDoesNotSplitTheKeyButValuesDo() throws Exception {
        start("{}");
        get("/items?a=1&b=2");
        assertThat(get("/items?b=2&a=1").headers().firstValue("X-Cache")).contains("HIT");
        assertThat(get("/items?a=1&b=3").headers().firstValue("X-Cache")).contains("MISS");
        assertThat(upstreamRequests).hasValue(2);
    }
}
