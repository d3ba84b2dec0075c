package io.gridgate.node.cache;

import io.gridgate.node.testing.RawHttp;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cache poisoning over real HTTP: whatever one client sends, another client never gets a response
 * that client's request shaped, unless the upstream said the response is shared. The upstream
 * reflects the request headers an attacker would try into its body, numbers every response, and
 * takes its caching headers from the query ({@code cc}, {@code vary}, {@code cookie}). Tests that
 * fail here show a way to poison the cache; what each one expects is the safe outcome.
 */
class CachePoisoningTest {

    private static final String MOBILE_KEY = "k_live_mobile_0123456789ab";
    private static final String WEB_KEY = "k_live_web_0123456789abcdef";
    /** Request headers the upstream echoes when it gets them: ones attackers try, and ones that key or vary. */
    private static final List<String> REFLECTED = List.of("X-Forwarded-Scheme", "X-Original-URL", "X-Rewrite-URL",
            "X-HTTP-Method-Override", "X-Evil", "Authorization", "X-Consumer-Id", "Accept-Language", "X-Tenant");
    /** Echoed too under {@code ?host}: the gateway sends them on every request. */
    private static final List<String> HOST_HEADERS = List.of("Host", "X-Forwarded-Host");
    private static final String EVIL = "evil.example";

    private static final int STREAMED_BYTES = 4096;

    private final AtomicInteger upstreamRequests = new AtomicInteger();
    private final CountDownLatch secondHalf = new CountDownLatch(1);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        upstream = TestUpstream.start(exchange -> exchange.getRequestReceiver().receiveFullString(
                (ex, body) -> answer(ex, body)));
        gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 5s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                auth:
                  consumers:
                    - {id: mobile-app, apiKeys: ["%s"]}
                    - {id: web-app, apiKeys: ["%s"]}
                routes:
                  - id: open
                    match: {pathPrefix: /open}
                    upstream: %s
                    cache: {}
                  - id: tenant
                    match: {pathPrefix: /tenant}
                    upstream: %s
                    cache: {keyHeaders: [X-Tenant]}
                  - id: per-consumer
                    match: {pathPrefix: /consumer}
                    upstream: %s
                    auth: {methods: [apiKey]}
                    cache: {keyPerConsumer: true}
                  - id: shared-authed
                    match: {pathPrefix: /authed}
                    upstream: %s
                    auth: {methods: [apiKey]}
                    cache: {}
                """.formatted(MOBILE_KEY, WEB_KEY, upstream.url(), upstream.url(), upstream.url(), upstream.url()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    /**
     * {@code n=<number>} then {@code name=value} for each echoed header the request carried, then
     * the request body if any. A request header {@code X-Evil-Status} sets the status, as an upstream
     * that errors on a header it dislikes would. {@code ?stream} answers with {@link #stream}, and
     * {@code ?slow} takes 300 ms, as a slow upstream would.
     */
    private void answer(HttpServerExchange exchange, String requestBody) {
        int n = upstreamRequests.incrementAndGet();
        HeaderMap in = exchange.getRequestHeaders();
        StringBuilder body = new StringBuilder("n=").append(n);
        List<String> reflected = new ArrayList<>(REFLECTED);
        if (query(exchange, "host", null) != null) {
            reflected.addAll(HOST_HEADERS);
        }
        for (String name : reflected) {
            if (in.contains(name)) {
                body.append(' ').append(name).append('=').append(in.getFirst(name));
            }
        }
        if (!requestBody.isEmpty()) {
            body.append(" body=").append(requestBody);
        }
        HeaderMap out = exchange.getResponseHeaders();
        out.put(Headers.CACHE_CONTROL, query(exchange, "cc", "max-age=60"));
        String vary = query(exchange, "vary", null);
        if (vary != null) {
            out.put(Headers.VARY, vary);
        }
        if (query(exchange, "cookie", null) != null) {
            out.put(Headers.SET_COOKIE, "session=s" + n + "; Path=/; HttpOnly");
        }
        if (in.contains("X-Evil-Status")) {
            exchange.setStatusCode(Integer.parseInt(in.getFirst("X-Evil-Status")));
        }
        if (query(exchange, "stream", null) != null) {
            stream(exchange, n);
            return;
        }
        if (query(exchange, "slow", null) != null) {
            // Long enough for concurrent misses to queue behind the first; no assertion depends on it.
            TestUpstream.answerAfter(exchange, Duration.ofMillis(300), () -> exchange.getResponseSender().send(body.toString()));
            return;
        }
        exchange.getResponseSender().send(body.toString());
    }

    /**
     * A chunked body of {@link #STREAMED_BYTES} in two flushed halves; the first response holds its
     * second half back until the test releases it.
     */
    private void stream(HttpServerExchange exchange, int n) {
        byte[] body = ("n=" + n + ";" + ".".repeat(STREAMED_BYTES)).substring(0, STREAMED_BYTES)
                .getBytes(StandardCharsets.US_ASCII);
        exchange.dispatch(() -> {
            exchange.startBlocking();
            try (OutputStream out = exchange.getOutputStream()) {
                out.write(body, 0, body.length / 2);
                out.flush();
                if (n == 1) {
                    secondHalf.await(5, TimeUnit.SECONDS);
                }
                out.write(body, body.length / 2, body.length - body.length / 2);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static String query(HttpServerExchange exchange, String name, String otherwise) {
        var values = exchange.getQueryParameters().get(name);
        return values == null ? otherwise : values.getFirst();
    }

    private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return client.send(request(path, headers).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return request;
    }

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse(null);
    }

    // ---- headers that are not in the key ----

    @ParameterizedTest
    @ValueSource(strings = {"X-Forwarded-Host", "X-Forwarded-Scheme", "X-Forwarded-Port", "X-Forwarded-Prefix",
        "X-Original-URL", "X-Rewrite-URL", "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override", "X-Host"})
    void anUnkeyedHeaderCannotShapeTheResponseAnotherClientGets(String header) throws Exception {
        String path = "/open/reflect?host";
        HttpResponse<String> attacker = get(path, header, EVIL);
        HttpResponse<String> victim = get(path);

        assertThat(attacker.statusCode()).isEqualTo(200);
        assertThat(victim.statusCode()).isEqualTo(200);
        assertThat(victim.body())
                .as("a clean request after one with %s: %s (X-Cache %s); the header must either not reach the"
                        + " upstream or be part of the key", header, victim.body(), xCache(victim))
                .doesNotContain(EVIL);
    }

    /**
     * 404 and 410 are storable, so an upstream that answers them because of a header it does not
     * name in Vary can be made to store one: the README says upstreams must name what they read.
     * The statuses here are never stored.
     */
    @ParameterizedTest
    @ValueSource(ints = {400, 403, 500, 503})
    void anErrorAnUnkeyedHeaderProvokesIsNotServedToAnotherClient(int status) throws Exception {
        String path = "/open/dos";
        HttpResponse<String> attacker = get(path, "X-Evil-Status", String.valueOf(status));
        HttpResponse<String> victim = get(path);

        assertThat(attacker.statusCode()).isEqualTo(status);
        assertThat(victim.statusCode())
                .as("a clean request after one whose unkeyed header made the upstream answer %s (X-Cache %s)",
                        status, xCache(victim))
                .isEqualTo(200);
    }

    @Test
    void anUnkeyedHeaderTheUpstreamVariesOnGetsItsOwnEntry() throws Exception {
        String path = "/open/varies?vary=X-Evil";
        HttpResponse<String> attacker = get(path, "X-Evil", EVIL);
        HttpResponse<String> victim = get(path);
        HttpResponse<String> victimAgain = get(path);

        assertThat(victim.body()).isEqualTo("n=2");
        assertThat(xCache(victim)).isEqualTo("MISS");
        assertThat(victimAgain.body()).isEqualTo("n=2");
        assertThat(xCache(victimAgain)).isEqualTo("HIT");
        assertThat(get(path, "X-Evil", EVIL).body()).isEqualTo(attacker.body());
        assertThat(upstreamRequests).hasValue(2);
    }

    @Test
    void theForwardedHostTheUpstreamSeesIsTheKeyedHostNotTheClientsHeader() throws Exception {
        HttpResponse<String> attacker = get("/open/fwd?host", "X-Forwarded-Host", EVIL);

        assertThat(attacker.body()).contains("X-Forwarded-Host=127.0.0.1:" + gateway.port()).doesNotContain(EVIL);
    }

    @Test
    void aHostlessHttp10RequestCannotPoisonTheEntryOfTheDefaultHost() throws Exception {
        String path = "/open/hostless?host";
        RawHttp.Response attacker = RawHttp.exchange(gateway.port(),
                "GET " + path + " HTTP/1.0\r\nX-Forwarded-Host: " + EVIL + "\r\n\r\n");
        HttpResponse<String> victim = get(path);

        assertThat(attacker.status()).isEqualTo(200);
        assertThat(victim.body())
                .as("a request with Host 127.0.0.1:%s after a Host-less HTTP/1.0 one (X-Cache %s)", gateway.port(),
                        xCache(victim))
                .doesNotContain(EVIL);
    }

    @Test
    void aGetBodyCannotShapeTheResponseAnotherClientGets() throws Exception {
        String path = "/open/fat-get";
        HttpResponse<String> attacker = client.send(request(path)
                .method("GET", HttpRequest.BodyPublishers.ofString("q=" + EVIL)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> victim = get(path);

        assertThat(attacker.statusCode()).isEqualTo(200);
        assertThat(victim.body())
                .as("a clean GET after a GET with a body (X-Cache %s)", xCache(victim))
                .doesNotContain(EVIL);
    }

    @Test
    void aClientThatHangsUpMidBodyCannotLeaveAPartialEntryForOthers() throws Exception {
        String path = "/open/download?stream";
        try (Socket attacker = new Socket("127.0.0.1", gateway.port())) {
            attacker.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            attacker.setSoTimeout(5000);
            InputStream in = attacker.getInputStream();
            assertThat(new String(in.readNBytes(200), StandardCharsets.US_ASCII)).contains("X-Cache: MISS");
            attacker.setSoLinger(true, 0); // reset, not a clean close
        }
        secondHalf.countDown();

        List<HttpResponse<String>> seen = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            HttpResponse<String> response = get(path);
            seen.add(response);
            return "HIT".equals(xCache(response));
        });
        assertThat(seen).allSatisfy(response -> assertThat(response.body())
                .as("X-Cache %s", xCache(response)).hasSize(STREAMED_BYTES));
    }

    // ---- Authorization ----

    @Test
    void aResponseToAnAuthorizedRequestIsNeitherStoredNorServedToAnotherClient() throws Exception {
        String path = "/open/account";
        HttpResponse<String> alice = get(path, "Authorization", "Bearer alice");
        HttpResponse<String> anonymous = get(path);
        HttpResponse<String> aliceAgain = get(path, "Authorization", "Bearer alice");

        assertThat(alice.body()).isEqualTo("n=1 Authorization=Bearer alice");
        assertThat(anonymous.body()).isEqualTo("n=2");
        assertThat(xCache(anonymous)).isEqualTo("MISS");
        assertThat(aliceAgain.body()).as("not stored, so fetched again").isEqualTo("n=3 Authorization=Bearer alice");
        assertThat(upstreamRequests).hasValue(3);
    }

    @Test
    void anEntryStoredForAnAnonymousRequestBypassesForAnAuthorizedOne() throws Exception {
        String path = "/open/profile";
        assertThat(get(path).body()).isEqualTo("n=1");
        HttpResponse<String> bob = get(path, "Authorization", "Bearer bob");
        HttpResponse<String> anonymous = get(path);

        assertThat(xCache(bob)).isEqualTo("BYPASS");
        assertThat(bob.body()).isEqualTo("n=2 Authorization=Bearer bob");
        assertThat(anonymous.body()).as("the bypass did not replace the shared entry").isEqualTo("n=1");
        assertThat(xCache(anonymous)).isEqualTo("HIT");
    }

    @Test
    void anAuthorizedResponseMarkedPublicIsShared() throws Exception {
        String path = "/open/catalog?cc=public,max-age=60";
        HttpResponse<String> alice = get(path, "Authorization", "Bearer alice");
        HttpResponse<String> anonymous = get(path);
        HttpResponse<String> bob = get(path, "Authorization", "Bearer bob");

        assertThat(xCache(alice)).isEqualTo("MISS");
        assertThat(anonymous.body()).isEqualTo(alice.body());
        assertThat(xCache(anonymous)).isEqualTo("HIT");
        assertThat(bob.body()).isEqualTo(alice.body());
        assertThat(xCache(bob)).isEqualTo("HIT");
        assertThat(upstreamRequests).hasValue(1);
    }

    @Test
    void aResponseToAnApiKeyConsumerIsNotStoredOnASharedRouteUnlessPublic() throws Exception {
        HttpResponse<String> mobile = get("/authed/a", "X-API-Key", MOBILE_KEY);
        HttpResponse<String> web = get("/authed/a", "X-API-Key", WEB_KEY);

        assertThat(mobile.body()).isEqualTo("n=1 X-Consumer-Id=mobile-app");
        assertThat(web.body()).isEqualTo("n=2 X-Consumer-Id=web-app");
        assertThat(xCache(web)).isEqualTo("MISS");

        get("/authed/b?cc=public,max-age=60", "X-API-Key", MOBILE_KEY);
        assertThat(xCache(get("/authed/b?cc=public,max-age=60", "X-API-Key", WEB_KEY))).isEqualTo("HIT");
    }

    // ---- Set-Cookie ----

    @Test
    void aResponseWithSetCookieIsNeverStoredAndNoClientGetsAnothersCookie() throws Exception {
        String path = "/open/login?cookie=1";
        HttpResponse<String> first = get(path);
        HttpResponse<String> second = get(path);

        assertThat(first.headers().allValues("Set-Cookie")).singleElement().asString().startsWith("session=s1;");
        assertThat(second.headers().allValues("Set-Cookie")).singleElement().asString().startsWith("session=s2;");
        assertThat(xCache(second)).isEqualTo("MISS");
        assertThat(upstreamRequests).hasValue(2);
    }

    @Test
    void concurrentMissesWaitingOnASetCookieResponseEachGetTheirOwnCookie() throws Exception {
        String path = "/open/session?cookie=1&slow=1";
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(client.sendAsync(request(path).build(), HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> cookies = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> response : sent) {
            cookies.addAll(response.get(10, TimeUnit.SECONDS).headers().allValues("Set-Cookie"));
        }

        assertThat(cookies).as("one distinct cookie per client").hasSize(6);
        assertThat(upstreamRequests).hasValue(6);
    }

    // ---- keys per consumer, Vary, key headers, Host ----

    @Test
    void eachConsumerGetsItsOwnEntryAndNeverAnothersBody() throws Exception {
        String path = "/consumer/orders";
        HttpResponse<String> mobile = get(path, "X-API-Key", MOBILE_KEY);
        HttpResponse<String> web = get(path, "X-API-Key", WEB_KEY);
        HttpResponse<String> mobileAgain = get(path, "X-API-Key", MOBILE_KEY);
        HttpResponse<String> webAgain = get(path, "X-API-Key", WEB_KEY);

        assertThat(mobile.body()).isEqualTo("n=1 X-Consumer-Id=mobile-app");
        assertThat(web.body()).isEqualTo("n=2 X-Consumer-Id=web-app");
        assertThat(xCache(web)).isEqualTo("MISS");
        assertThat(mobileAgain.body()).isEqualTo(mobile.body());
        assertThat(xCache(mobileAgain)).isEqualTo("HIT");
        assertThat(webAgain.body()).isEqualTo(web.body());
        assertThat(xCache(webAgain)).isEqualTo("HIT");
    }

    @Test
    void aSpoofedConsumerHeaderCannotReachAnotherConsumersEntry() throws Exception {
        String path = "/consumer/spoof";
        get(path, "X-API-Key", MOBILE_KEY);
        HttpResponse<String> web = get(path, "X-API-Key", WEB_KEY, "X-Consumer-Id", "mobile-app");

        assertThat(web.body()).isEqualTo("n=2 X-Consumer-Id=web-app");
        assertThat(xCache(web)).isEqualTo("MISS");
    }

    @Test
    void eachVariantOfAVaryingResponseIsStoredApart() throws Exception {
        String path = "/open/greeting?vary=Accept-Language";
        HttpResponse<String> en = get(path, "Accept-Language", "en");
        HttpResponse<String> fr = get(path, "Accept-Language", "fr");
        HttpResponse<String> enAgain = get(path, "Accept-Language", "en");
        HttpResponse<String> frAgain = get(path, "Accept-Language", "fr");
        HttpResponse<String> none = get(path);

        assertThat(en.body()).isEqualTo("n=1 Accept-Language=en");
        assertThat(fr.body()).isEqualTo("n=2 Accept-Language=fr");
        assertThat(xCache(fr)).isEqualTo("MISS");
        assertThat(enAgain.body()).isEqualTo(en.body());
        assertThat(xCache(enAgain)).isEqualTo("HIT");
        assertThat(frAgain.body()).isEqualTo(fr.body());
        assertThat(xCache(frAgain)).isEqualTo("HIT");
        assertThat(none.body()).as("no Accept-Language is a variant of its own").isEqualTo("n=3");
        assertThat(upstreamRequests).hasValue(3);
    }

    @Test
    void aResponseVaryingOnEverythingIsNeverStored() throws Exception {
        String path = "/open/anything?vary=*";
        get(path, "Accept-Language", "en");
        HttpResponse<String> second = get(path, "Accept-Language", "en");

        assertThat(second.body()).isEqualTo("n=2 Accept-Language=en");
        assertThat(xCache(second)).isEqualTo("MISS");
    }

    @Test
    void theRoutesKeyHeadersSplitEntriesByValue() throws Exception {
        String path = "/tenant/settings";
        HttpResponse<String> acme = get(path, "X-Tenant", "acme");
        HttpResponse<String> globex = get(path, "X-Tenant", "globex");
        HttpResponse<String> acmeAgain = get(path, "X-Tenant", "acme");
        HttpResponse<String> none = get(path);

        assertThat(acme.body()).isEqualTo("n=1 X-Tenant=acme");
        assertThat(globex.body()).isEqualTo("n=2 X-Tenant=globex");
        assertThat(xCache(globex)).isEqualTo("MISS");
        assertThat(acmeAgain.body()).isEqualTo(acme.body());
        assertThat(xCache(acmeAgain)).isEqualTo("HIT");
        assertThat(none.body()).isEqualTo("n=3");
    }

    @Test
    void eachHostHasItsOwnEntryForTheSamePath() throws Exception {
        RawHttp.Response a = host("a.example");
        RawHttp.Response b = host("b.example");
        RawHttp.Response aAgain = host("a.example");
        RawHttp.Response upperA = host("A.EXAMPLE");

        assertThat(a.body()).startsWith("n=1 ").contains("X-Forwarded-Host=a.example");
        assertThat(b.body()).startsWith("n=2 ").contains("X-Forwarded-Host=b.example").doesNotContain("a.example");
        assertThat(b.header("X-Cache")).isEqualTo("MISS");
        assertThat(aAgain.body()).isEqualTo(a.body());
        assertThat(aAgain.header("X-Cache")).isEqualTo("HIT");
        assertThat(upperA.header("X-Cache")).as("host names are case-insensitive").isEqualTo("HIT");
    }

    @Test
    void aPortInTheHostCannotShapeTheResponseForTheSameHostWithoutIt() throws Exception {
        RawHttp.Response attacker = RawHttp.exchange(gateway.port(),
                "GET /open/port?host HTTP/1.1\r\nHost: 127.0.0.1:31337\r\nConnection: close\r\n\r\n");
        HttpResponse<String> victim = get("/open/port?host");

        assertThat(attacker.body()).contains("Host=127.0.0.1:31337");
        assertThat(victim.body())
                .as("a request with Host 127.0.0.1:%s after one with Host 127.0.0.1:31337 (X-Cache %s)",
                        gateway.port(), xCache(victim))
                .doesNotContain("31337");
    }

    private RawHttp.Response host(String host) throws IOException {
        return RawHttp.exchange(gateway.port(),
                "GET /open/host?host HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }
}
