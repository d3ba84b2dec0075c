package io.gridgate.node.security;

import io.gridgate.node.testing.RawHttp;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.CanonicalPathUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tries to reach an IP-restricted route through spellings of its path, over raw sockets. The gateway
 * has three routes: {@code /admin} (allowed only from 192.0.2.0/24, so loopback is denied),
 * {@code /public} (open) and a catch-all (open) to the same application backend as {@code /public},
 * the usual shape of a monolith whose admin area the gateway guards. A bypass would be a spelling
 * that escapes the {@code /admin} route and that the backend still reads as {@code /admin}: so
 * besides the status, every case checks that the admin upstream got nothing and that the backend
 * never resolved a path under {@code /admin} (Undertow's reading: decoded, {@code ;params}
 * stripped, dot segments resolved).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathBypassTest {

    private static final int DENIED = 403;
    private static final int INVALID = 400;
    private static final int PROXIED = 200;

    private final AtomicInteger adminHits = new AtomicInteger();
    /** What the backend received, as sent (path and query). */
    private final Queue<String> backendTargets = new ConcurrentLinkedQueue<>();
    /** What the backend made of the path. */
    private final Queue<String> backendResolved = new ConcurrentLinkedQueue<>();
    private TestUpstream admin;
    private TestUpstream backend;
    private TestGateway gateway;

    @BeforeAll
    void start() {
        admin = TestUpstream.start(exchange -> {
            adminHits.incrementAndGet();
            exchange.getResponseSender().send("admin secrets");
        });
        backend = TestUpstream.start(exchange -> {
            backendTargets.add(target(exchange));
            backendResolved.add(CanonicalPathUtils.canonicalize(exchange.getRequestPath()));
            exchange.getResponseSender().send("backend");
        });
        gateway = TestGateway.withRoutes("""
                - id: admin
                  match: {pathPrefix: /admin}
                  upstream: %s
                  ipRules: {allow: [192.0.2.0/24]}
                - id: public
                  match: {pathPrefix: /public}
                  upstream: %s
                - id: everything-else
                  upstream: %s
                """.formatted(admin.url(), backend.url(), backend.url()));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
        admin.close();
    }

    @BeforeEach
    void forget() {
        backendTargets.clear();
        backendResolved.clear();
    }

    private static String target(HttpServerExchange exchange) {
        String query = exchange.getQueryString();
        return exchange.getRequestURI() + (query.isEmpty() ? "" : "?" + query);
    }

    private RawHttp.Response get(String target) throws IOException {
        return RawHttp.exchange(gateway.port(), "GET " + target + " HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n");
    }

    static Stream<Arguments> spellingsOfAdmin() {
        return Stream.of(
                arguments("/admin", DENIED),
                arguments("/admin/", DENIED),
                arguments("/admin/users", DENIED),
                arguments("/admin?debug=1", DENIED),
                arguments("/public/../admin", DENIED),
                arguments("/public/%2e%2e/admin", DENIED),
                arguments("/public/%2E%2E/admin", DENIED),
                arguments("/public/.%2e/admin", DENIED),
                arguments("/public/%2e%2e/%61dmin", DENIED),
                arguments("/admin/../admin", DENIED),
                arguments("/%61dmin", DENIED),
                arguments("/%61%64%6D%69%6E/users", DENIED),
                arguments("//admin", DENIED),
                arguments("///admin//users", DENIED),
                arguments("/./admin", DENIED),
                arguments("/%2e/admin", DENIED),
                arguments("http://gw.test/admin", DENIED),
                arguments("http://gw.test/public/../admin", DENIED),
                arguments("http://gw.test//admin", DENIED),
                arguments("/public/..%2fadmin", INVALID),
                arguments("/public%2f..%2fadmin", INVALID),
                arguments("/%2fadmin", INVALID),
                arguments("/admin%2f", INVALID),
                arguments("/public/..%5cadmin", INVALID),
                arguments("/public%5c..%5cadmin", INVALID),
                arguments("\\admin", INVALID),
                arguments("/public\\..\\admin", INVALID),
                arguments("/admin;foo", INVALID),
                arguments("/admin;/", INVALID),
                arguments("/public;/../admin", INVALID),
                arguments("/public/..;/admin", INVALID),
                arguments("/public/..;x=1/admin", INVALID),
                arguments("/admin%00", INVALID),
                arguments("/public/..%00/admin", INVALID),
                arguments("/admin%09", INVALID),
                arguments("/public/%252e%252e/admin", INVALID),
                arguments("/%2561dmin", INVALID),
                arguments("/public/%c0%ae%c0%ae/admin", INVALID),
                arguments("/%c0%ae/admin", INVALID),
                arguments("/public/%e0%80%ae%e0%80%ae/admin", INVALID),
                arguments("/public/%ef%bc%8e%ef%bc%8e/admin", INVALID),
                arguments("/public/../../admin", INVALID),
                arguments("/public/%zz/../../admin", INVALID),
                arguments("/admin#fragment", INVALID));
    }

    @ParameterizedTest(name = "GET {0} -> {1}")
    @MethodSource("spellingsOfAdmin")
    void noSpellingOfAdminReachesIt(String target, int expected) throws IOException {
        RawHttp.Response response = get(target);

        assertThat(response.status()).as("status for %s (body %s)", target, response.body()).isEqualTo(expected);
        if (expected == DENIED) {
            assertThat(response.body()).contains("\"error\":\"ip_denied\"");
        }
        assertThat(adminHits).as("requests that reached the admin upstream").hasValue(0);
        assertThat(backendResolved).as("paths the backend read, for %s", target)
                .noneMatch(path -> path.equals("/admin") || path.startsWith("/admin/"));
    }

    @Test
    void refusalsOfTheGatewayExplainThemselves() throws IOException {
        RawHttp.Response response = get("/public/..;/admin");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.body()).contains("\"error\":\"invalid_path\"").contains("path parameters");
        assertThat(get("/public/%252e%252e/admin").body()).contains("double percent-encoding");
        assertThat(get("/public/..%2fadmin").body()).contains("encoded slash");
    }

    @Test
    void pathsAreCaseSensitiveSoUpperCaseAdminIsAnotherPath() throws IOException {
        RawHttp.Response response = get("/ADMIN");

        assertThat(response.status()).isEqualTo(200);
        assertThat(backendTargets).containsExactly("/ADMIN");
        assertThat(adminHits).hasValue(0);
    }

    static Stream<Arguments> spellingsOfPublic() {
        return Stream.of(
                arguments("/public/items", "/public/items"),
                arguments("/public/./items", "/public/items"),
                arguments("/public/a/../items", "/public/items"),
                arguments("//public//items/", "/public/items/"),
                arguments("/admin/../public/items", "/public/items"),
                arguments("/public/%69tems", "/public/items"),
                arguments("/public/%2e%2e/public/items", "/public/items"),
                arguments("/public/caf%c3%a9", "/public/caf%C3%A9"),
                arguments("/public/a%20b%3bc", "/public/a%20b%3Bc"),
                arguments("/public/100%25", "/public/100%25"),
                arguments("/public/./items?q=%2e%2e/x&y=1", "/public/items?q=%2e%2e/x&y=1"),
                arguments("http://gw.test/public/../public/items", "/public/items"));
    }

    @ParameterizedTest(name = "GET {0} reaches the backend as {1}")
    @MethodSource("spellingsOfPublic")
    void theUpstreamReceivesTheNormalizedPath(String target, String seen) throws IOException {
        RawHttp.Response response = get(target);

        assertThat(response.status()).as("status for %s (body %s)", target, response.body()).isEqualTo(PROXIED);
        assertThat(response.body()).isEqualTo("backend");
        assertThat(backendTargets).containsExactly(seen);
    }

    @Test
    void withNormalizationOffTheRawPathIsRoutedAndForwardedAsSent() throws IOException {
        try (TestGateway raw = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 5s, limits: {normalizePaths: false}}
                admin: {bindAddress: 127.0.0.1, port: 0}
                routes:
                  - id: public
                    match: {pathPrefix: /public}
                    upstream: %s
                """.formatted(backend.url()))) {
            RawHttp.Response response = RawHttp.exchange(raw.port(),
                    "GET /public/%2e/items HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
            assertThat(backendTargets).containsExactly("/public/%2e/items");
        }
    }
}
