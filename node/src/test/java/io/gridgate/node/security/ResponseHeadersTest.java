package io.gridgate.node.security;

import io.gridgate.node.testing.RawHttp;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.util.HttpString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Server-wide and per-route response headers, on upstream responses and on the gateway's own replies. */
class ResponseHeadersTest {

    private static final String HSTS = "max-age=31536000; includeSubDomains";

    private TestUpstream upstream;
    private TestGateway gateway;
    private int closedPort;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = TestUpstream.start(exchange -> {
            // An upstream that advertises its versions and leaks a debug header.
            exchange.getResponseHeaders().put(new HttpString("Server"), "Apache/2.4.1 (Unix)");
            exchange.getResponseHeaders().put(new HttpString("X-Powered-By"), "PHP/8.1.2");
            exchange.getResponseHeaders().put(new HttpString("X-Debug"), "db=primary");
            exchange.getResponseHeaders().put(new HttpString("X-Frame-Options"), "ALLOWALL");
            exchange.getResponseSender().send("ok");
        });
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
    }

    private void start(String serverResponseHeaders) {
        String url = upstream.url();
        gateway = TestGateway.start("""
                server:
                  bindAddress: 127.0.0.1
                  port: 0
                  ioThreads: 1
                  drainTimeout: 5s
                %s
                admin: {bindAddress: 127.0.0.1, port: 0}
                routes:
                  - id: secure
                    match: {pathPrefix: /secure}
                    upstream: %s
                    responseHeaders:
                      set: {Strict-Transport-Security: "%s", X-Frame-Options: DENY}
                      remove: [X-Debug]
                  - id: limited
                    match: {pathPrefix: /limited}
                    upstream: %s
                    rateLimits: [{id: one, key: [clientIp], limits: [{permits: 1, per: 1h}]}]
                    responseHeaders: {set: {X-Route: limited}}
                  - id: down
                    match: {pathPrefix: /down}
                    upstream: http://127.0.0.1:%d
                    retry: {attempts: 1}
                  - id: plain
                    match: {pathPrefix: /plain}
                    upstream: %s
                """.formatted(serverResponseHeaders.stripIndent().indent(2), url, HSTS, url, closedPort, url));
    }

    private void startWithServerHeaders() {
        start("""
                responseHeaders:
                  set: {X-Content-Type-Options: nosniff, X-Frame-Options: SAMEORIGIN}
                """);
    }

    private RawHttp.Response get(String path) throws IOException {
        return RawHttp.exchange(gateway.port(), "GET " + path + " HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n");
    }

    private static List<String> all(RawHttp.Response response, String name) {
        return response.headers().stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
    }

    @Test
    void theUpstreamsServerAndXPoweredByBannersAreRemovedByDefault() throws IOException {
        start("");

        RawHttp.Response response = get("/plain/x");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Server")).isNull();
        assertThat(response.header("X-Powered-By")).isNull();
        assertThat(response.header("X-Debug")).as("only what the config names goes").isEqualTo("db=primary");
    }

    @Test
    void serverWideHeadersAreSetOnUpstreamResponsesReplacingTheUpstreamsValue() throws IOException {
        startWithServerHeaders();

        RawHttp.Response response = get("/plain/x");

        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(all(response, "X-Frame-Options")).containsExactly("SAMEORIGIN");
        assertThat(response.header("Server")).as("the default remove still holds").isNull();
    }

    @Test
    void aRoutesEntriesApplyAfterTheServersSoTheRouteWins() throws IOException {
        startWithServerHeaders();

        RawHttp.Response response = get("/secure/x");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Strict-Transport-Security")).isEqualTo(HSTS);
        assertThat(all(response, "X-Frame-Options")).containsExactly("DENY");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("X-Debug")).isNull();
    }

    @Test
    void theGatewaysOwnRepliesGetTheServersHeadersAndTheMatchedRoutes() throws IOException {
        startWithServerHeaders();

        RawHttp.Response noRoute = get("/nowhere");
        get("/limited/x");
        RawHttp.Response limited = get("/limited/x");
        RawHttp.Response unreachable = get("/down/x");

        assertThat(noRoute.status()).isEqualTo(404);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(unreachable.status()).isEqualTo(502);
        for (RawHttp.Response reply : List.of(noRoute, limited, unreachable)) {
            assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(reply.header("Content-Type")).isEqualTo("application/json");
        }
        assertThat(noRoute.header("X-Route")).as("no route matched").isNull();
        assertThat(limited.header("X-Route")).isEqualTo("limited");
    }

    @Test
    void noResponseCarriesAServerHeaderEvenWhenTheConfigRemovesNothing() throws IOException {
        start("responseHeaders: {remove: []}\n");

        RawHttp.Response proxied = get("/limited/x");
        List<RawHttp.Response> replies = List.of(get("/nowhere"), get("/down/x"), get("/limited/x"));

        assertThat(replies).extracting(RawHttp.Response::status).containsExactly(404, 502, 429);
        assertThat(replies).allSatisfy(reply -> assertThat(reply.header("Server")).isNull());
        assertThat(proxied.header("Server")).as("what the config keeps, an upstream may send")
                .isEqualTo("Apache/2.4.1 (Unix)");
    }

    @Test
    void headersAreAppliedOverHttp2Too() throws Exception {
        startWithServerHeaders();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

        // The first request upgrades the connection (h2c); the second travels over HTTP/2 itself.
        client.send(HttpRequest.newBuilder(gateway.uri("/secure/x")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/secure/x")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.headers().allValues("x-frame-options")).containsExactly("DENY");
        assertThat(response.headers().firstValue("strict-transport-security")).contains(HSTS);
        assertThat(response.headers().firstValue("server")).isEmpty();
        assertThat(response.headers().firstValue("x-powered-by")).isEmpty();
        assertThat(response.headers().firstValue("x-debug")).isEmpty();
    }
}
