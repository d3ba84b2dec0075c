package io.gridgate.node.security;

import io.gridgate.node.testing.RawHttp;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.util.HttpString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** CORS over real HTTP: preflights answered by the gateway, actual responses marked for the browser. */
class CorsTest {

    private static final String APP = "https://app.example.com";
    private static final String API_KEY = "k_live_0123456789abcdef";

    private final AtomicInteger upstreamRequests = new AtomicInteger();
    private TestUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        upstream = TestUpstream.start(exchange -> {
            upstreamRequests.incrementAndGet();
            // An upstream with CORS ideas of its own, which CORS routes must not pass on.
            exchange.getResponseHeaders().put(new HttpString("Access-Control-Allow-Origin"), "https://upstream.test");
            exchange.getResponseHeaders().put(new HttpString("Access-Control-Allow-Methods"), "DELETE");
            exchange.getResponseHeaders().put(new HttpString("Vary"), "Accept-Encoding");
            exchange.getResponseHeaders().put(new HttpString("X-Request-Id"), "r-1");
            exchange.getResponseSender().send("ok " + exchange.getRequestMethod());
        });
        String url = upstream.url();
        gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 5s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                auth:
                  consumers: [{id: web, apiKeys: ["%s"]}]
                routes:
                  - id: api
                    match: {pathPrefix: /api, methods: [GET, POST]}
                    upstream: %s
                    auth: {methods: [apiKey]}
                    cors:
                      allowOrigins: ["%s", "https://*.example.org"]
                      allowHeaders: [Authorization, Content-Type, X-API-Key]
                      exposeHeaders: [X-Request-Id]
                      allowCredentials: true
                      maxAge: 10m
                  - id: limited
                    match: {pathPrefix: /limited}
                    upstream: %s
                    rateLimits: [{id: one, key: [clientIp], limits: [{permits: 1, per: 1h}]}]
                    cors: {allowOrigins: ["%s"]}
                  - id: public
                    match: {pathPrefix: /public}
                    upstream: %s
                    cors: {allowOrigins: ["*"]}
                  - id: plain
                    match: {pathPrefix: /plain}
                    upstream: %s
                """.formatted(API_KEY, url, APP, url, APP, url, url));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private RawHttp.Response preflight(String path, String origin, String method, String headers) throws IOException {
        return send("OPTIONS " + path + " HTTP/1.1\r\nHost: gw.test\r\nOrigin: " + origin
                + "\r\nAccess-Control-Request-Method: " + method + "\r\n"
                + (headers == null ? "" : "Access-Control-Request-Headers: " + headers + "\r\n"));
    }

    private RawHttp.Response get(String path, String... headerLines) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: gw.test\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return send(request.toString());
    }

    private RawHttp.Response send(String head) throws IOException {
        return RawHttp.exchange(gateway.port(), head + "Connection: close\r\n\r\n");
    }

    private static List<String> corsHeaders(RawHttp.Response response) {
        return response.headers().stream().map(h -> h[0].toLowerCase(Locale.ROOT))
                .filter(name -> name.startsWith("access-control-")).toList();
    }

    private static List<String> all(RawHttp.Response response, String name) {
        return response.headers().stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
    }

    @Test
    void aPreflightIsAnsweredByTheGatewayBeforeAuthenticationAndNeverReachesTheUpstream() throws IOException {
        RawHttp.Response response = preflight("/api/orders", APP, "POST", "authorization, content-type");

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(response.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(response.header("Access-Control-Allow-Methods")).isEqualTo("GET, POST");
        assertThat(response.header("Access-Control-Allow-Headers")).isEqualTo("Authorization, Content-Type, X-API-Key");
        assertThat(response.header("Access-Control-Max-Age")).isEqualTo("600");
        assertThat(all(response, "Vary")).containsExactly("Origin");
        assertThat(response.body()).isEmpty();
        assertThat(upstreamRequests).hasValue(0);
    }

    @Test
    void aRouteThatAcceptsOnlyGetAndPostStillAnswersPreflightsButNotOtherOptionsRequests() throws IOException {
        assertThat(preflight("/api/orders", APP, "GET", null).status()).isEqualTo(204);

        RawHttp.Response put = preflight("/api/orders", APP, "PUT", null);
        assertThat(put.status()).as("a method the policy refuses, not a 405").isEqualTo(403);
        assertThat(put.body()).contains("\"error\":\"cors_rejected\"", "the method is not allowed (allowed: GET, POST)");

        RawHttp.Response plainOptions = send("OPTIONS /api/orders HTTP/1.1\r\nHost: gw.test\r\nOrigin: " + APP + "\r\n");
        assertThat(plainOptions.status()).as("OPTIONS without Access-Control-Request-Method is no preflight")
                .isEqualTo(405);
        assertThat(upstreamRequests).hasValue(0);
    }

    @Test
    void preflightsFromAnotherOriginOrForAnotherMethodOrHeaderGet403WithoutCorsHeaders() throws IOException {
        List<RawHttp.Response> refused = List.of(
                preflight("/api/orders", "https://evil.test", "GET", null),
                preflight("/api/orders", APP, "DELETE", null),
                preflight("/api/orders", APP, "POST", "content-type, x-debug"));

        assertThat(refused).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(response.body()).contains("\"error\":\"cors_rejected\"");
            assertThat(corsHeaders(response)).isEmpty();
        });
        assertThat(refused.get(0).body()).contains("the origin is not allowed");
        assertThat(refused.get(2).body()).contains("a requested header is not allowed");
        assertThat(upstreamRequests).hasValue(0);
    }

    @Test
    void aWildcardSubdomainPatternAdmitsSubdomainsButNotTheDomainItself() throws IOException {
        RawHttp.Response shop = preflight("/api/orders", "https://shop.example.org", "GET", null);
        RawHttp.Response deep = preflight("/api/orders", "https://eu.shop.example.org", "GET", null);

        assertThat(shop.status()).isEqualTo(204);
        assertThat(shop.header("Access-Control-Allow-Origin")).isEqualTo("https://shop.example.org");
        assertThat(deep.header("Access-Control-Allow-Origin")).isEqualTo("https://eu.shop.example.org");
        assertThat(preflight("/api/orders", "https://example.org", "GET", null).status()).isEqualTo(403);
        assertThat(preflight("/api/orders", "https://badexample.org", "GET", null).status()).isEqualTo(403);
    }

    @Test
    void anActualRequestWithCredentialsGetsItsOriginEchoedVaryAndExposedHeadersInPlaceOfTheUpstreams()
            throws IOException {
        RawHttp.Response response = get("/api/orders", "Origin: " + APP, "X-API-Key: " + API_KEY);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok GET");
        assertThat(all(response, "Access-Control-Allow-Origin")).containsExactly(APP);
        assertThat(response.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(response.header("Access-Control-Expose-Headers")).isEqualTo("X-Request-Id");
        assertThat(response.header("Access-Control-Allow-Methods")).as("the upstream's, removed").isNull();
        assertThat(all(response, "Vary")).containsExactly("Accept-Encoding", "Origin");
        assertThat(upstreamRequests).hasValue(1);
    }

    @Test
    void anActualRequestFromAnotherOriginIsForwardedWithoutCorsHeaders() throws IOException {
        RawHttp.Response response = get("/api/orders", "Origin: https://evil.test", "X-API-Key: " + API_KEY);

        assertThat(response.status()).as("the browser blocks it; the gateway does not").isEqualTo(200);
        assertThat(corsHeaders(response)).as("the upstream's too").isEmpty();
        assertThat(all(response, "Vary")).containsExactly("Accept-Encoding", "Origin");
        assertThat(upstreamRequests).hasValue(1);
    }

    @Test
    void aRouteWithoutCorsPassesTheUpstreamsCorsHeadersOnAndAnswersNoPreflight() throws IOException {
        RawHttp.Response response = get("/plain/x", "Origin: " + APP);
        RawHttp.Response options = preflight("/plain/x", APP, "GET", null);

        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("https://upstream.test");
        assertThat(options.status()).as("forwarded: the upstream answers").isEqualTo(200);
        assertThat(options.body()).isEqualTo("ok OPTIONS");
        assertThat(upstreamRequests).hasValue(2);
    }

    @Test
    void anyOriginGetsAStarOnEveryResponseWithoutCredentialsOrVary() throws IOException {
        RawHttp.Response withOrigin = get("/public/x", "Origin: https://anyone.test");
        RawHttp.Response withoutOrigin = get("/public/x");
        RawHttp.Response preflight = preflight("/public/x", "https://anyone.test", "HEAD", null);

        for (RawHttp.Response response : List.of(withOrigin, withoutOrigin, preflight)) {
            assertThat(all(response, "Access-Control-Allow-Origin")).containsExactly("*");
            assertThat(response.header("Access-Control-Allow-Credentials")).isNull();
        }
        assertThat(all(withOrigin, "Vary")).containsExactly("Accept-Encoding");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("GET, HEAD, POST");
    }

    @Test
    void theGatewaysOwnRepliesOnACorsRouteCarryCorsHeadersSoTheBrowserCanReadThem() throws IOException {
        RawHttp.Response unauthorized = get("/api/orders", "Origin: " + APP);
        get("/limited/x", "Origin: " + APP);
        RawHttp.Response limited = get("/limited/x", "Origin: " + APP);

        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(all(limited, "Vary")).containsExactly("Origin");
    }

    @Test
    void preflightsAreNotRateLimited() throws IOException {
        for (int i = 0; i < 3; i++) {
            assertThat(preflight("/limited/x", APP, "GET", null).status()).isEqualTo(204);
        }
        assertThat(get("/limited/x", "Origin: " + APP).status()).isEqualTo(200);
        assertThat(upstreamRequests).hasValue(1);
    }
}
