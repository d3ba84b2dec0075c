package io.gridgate.node.cache;

import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.DateUtils;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What the response cache leaves unstored, over real HTTP: bodies over the entry bound (with and
 * without a Content-Length), bodies cut short, statuses not listed, responses already expired or
 * expiring, and methods other than GET. The upstream numbers every response ({@code n=<number>;})
 * and takes its shape from the query: {@code size}, {@code chunked}, {@code status}, {@code cc}
 * ({@code none} for no Cache-Control) and {@code expires}.
 */
class CacheBoundsTest {

    private static final int BOUND = 1024;

    private final AtomicInteger upstreamRequests = new AtomicInteger();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestUpstream upstream;
    private CuttingUpstream cutting;
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        upstream = TestUpstream.start(this::answer);
        cutting = new CuttingUpstream();
        gateway = TestGateway.withRoutes("""
                - id: bounded
                  match: {pathPrefix: /bounded}
                  upstream: %s
                  cache: {maxEntryBytes: 1KiB}
                - id: only-200
                  match: {pathPrefix: /only200}
                  upstream: %s
                  cache: {statuses: [200]}
                - id: defaults
                  match: {pathPrefix: /default}
                  upstream: %s
                  cache: {}
                - id: cut
                  match: {pathPrefix: /cut}
                  upstream: %s
                  cache: {}
                """.formatted(upstream.url(), upstream.url(), upstream.url(), cutting.url()));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        upstream.close();
        cutting.close();
    }

    private void answer(HttpServerExchange exchange) {
        int n = upstreamRequests.incrementAndGet();
        HeaderMap out = exchange.getResponseHeaders();
        String cc = query(exchange, "cc", "max-age=60");
        if (!cc.equals("none")) {
            out.put(Headers.CACHE_CONTROL, cc);
        }
        String expires = query(exchange, "expires", null);
        if (expires != null) {
            long now = System.currentTimeMillis();
            out.put(Headers.DATE, DateUtils.toDateString(new Date(now)));
            out.put(Headers.EXPIRES, expires.equals("past") ? DateUtils.toDateString(new Date(now - 3_600_000)) : expires);
        }
        exchange.setStatusCode(Integer.parseInt(query(exchange, "status", "200")));
        byte[] body = body(n, Integer.parseInt(query(exchange, "size", "0")));
        if (query(exchange, "chunked", null) == null) {
            exchange.getResponseSender().send(new String(body, StandardCharsets.US_ASCII));
            return;
        }
        // No Content-Length, written in two flushed halves: the gateway gets it chunked.
        exchange.dispatch(() -> {
            exchange.startBlocking();
            try (OutputStream stream = exchange.getOutputStream()) {
                stream.write(body, 0, body.length / 2);
                stream.flush();
                stream.write(body, body.length / 2, body.length - body.length / 2);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** {@code n=<n>;} padded with dots to {@code size} bytes, or just {@code n=<n>;} when it is longer. */
    private static byte[] body(int n, int size) {
        StringBuilder body = new StringBuilder("n=").append(n).append(';');
        while (body.length() < size) {
            body.append('.');
        }
        return body.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String query(HttpServerExchange exchange, String name, String otherwise) {
        var values = exchange.getQueryParameters().get(name);
        return values == null ? otherwise : values.getFirst();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, HttpRequest.BodyPublishers.noBody());
    }

    private HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).method(method, body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse(null);
    }

    // ---- the entry bound ----

    @Test
    void aBodyOverTheBoundWithAContentLengthStreamsWholeButIsNotStored() throws Exception {
        String path = "/bounded/large?size=" + (BOUND + 1);
        HttpResponse<String> first = get(path);
        HttpResponse<String> second = get(path);

        assertThat(first.body()).hasSize(BOUND + 1).startsWith("n=1;");
        assertThat(first.headers().firstValue("Content-Length")).contains(String.valueOf(BOUND + 1));
        assertThat(second.body()).hasSize(BOUND + 1).startsWith("n=2;");
        assertThat(xCache(second)).isEqualTo("MISS");
        assertThat(upstreamRequests).hasValue(2);
    }

    @Test
    void aChunkedBodyOverTheBoundStreamsWholeButIsNotStored() throws Exception {
        String path = "/bounded/stream?chunked&size=" + (4 * BOUND);
        HttpResponse<String> first = get(path);
        HttpResponse<String> second = get(path);

        assertThat(first.headers().firstValue("Content-Length")).as("the upstream sent no length").isEmpty();
        assertThat(first.body()).hasSize(4 * BOUND).startsWith("n=1;");
        assertThat(second.body()).hasSize(4 * BOUND).startsWith("n=2;");
        assertThat(xCache(second)).isEqualTo("MISS");
        assertThat(upstreamRequests).hasValue(2);
    }

    @Test
    void aChunkedBodyJustOverTheBoundIsNotStored() throws Exception {
        String path = "/bounded/edge?chunked&size=" + (BOUND + 1);
        get(path);
        HttpResponse<String> second = get(path);

        assertThat(second.body()).hasSize(BOUND + 1).startsWith("n=2;");
        assertThat(xCache(second)).isEqualTo("MISS");
    }

    @Test
    void aChunkedBodyUnderTheBoundIsStoredAndReplayedWithItsLength() throws Exception {
        String path = "/bounded/small?chunked&size=512";
        HttpResponse<String> first = get(path);
        HttpResponse<String> second = get(path);

        assertThat(first.headers().firstValue("Content-Length")).as("the upstream sent no length").isEmpty();
        assertThat(xCache(second)).isEqualTo("HIT");
        assertThat(second.body()).isEqualTo(first.body()).hasSize(512);
        assertThat(second.headers().firstValue("Content-Length")).contains("512");
        assertThat(upstreamRequests).hasValue(1);
    }

    @Test
    void bodiesOfExactlyTheBoundAreStoredWithOrWithoutALength() throws Exception {
        get("/bounded/exact?size=" + BOUND);
        get("/bounded/exact-chunked?chunked&size=" + BOUND);
        HttpResponse<String> sized = get("/bounded/exact?size=" + BOUND);
        HttpResponse<String> chunked = get("/bounded/exact-chunked?chunked&size=" + BOUND);

        assertThat(xCache(sized)).isEqualTo("HIT");
        assertThat(sized.body()).hasSize(BOUND).startsWith("n=1;");
        assertThat(xCache(chunked)).isEqualTo("HIT");
        assertThat(chunked.body()).hasSize(BOUND).startsWith("n=2;");
    }

    // ---- bodies cut short ----

    @Test
    void aChunkedBodyTheUpstreamCutsShortIsNotStored() throws Exception {
        assertThatThrownBy(() -> get("/cut/chunked"))
                .as("the client must see the body end early, not a whole response")
                .isInstanceOf(IOException.class);
        HttpResponse<String> second = get("/cut/chunked");

        assertThat(second.body()).isEqualTo("n=2;");
        assertThat(xCache(second)).isEqualTo("MISS");
    }

    @Test
    void aBodyShorterThanItsContentLengthIsNotStored() throws Exception {
        assertThatThrownBy(() -> get("/cut/length")).isInstanceOf(IOException.class);
        HttpResponse<String> second = get("/cut/length");

        assertThat(second.body()).isEqualTo("n=2;");
        assertThat(xCache(second)).isEqualTo("MISS");
    }

    // ---- statuses ----

    @Test
    void aStatusNotListedIsNotStored() throws Exception {
        get("/only200/missing?status=404");
        HttpResponse<String> second = get("/only200/missing?status=404");

        assertThat(second.statusCode()).isEqualTo(404);
        assertThat(second.body()).isEqualTo("n=2;");
        assertThat(xCache(second)).isEqualTo("MISS");
    }

    @Test
    void a404IsStoredByDefault() throws Exception {
        get("/default/missing?status=404");
        HttpResponse<String> second = get("/default/missing?status=404");

        assertThat(second.statusCode()).isEqualTo(404);
        assertThat(second.body()).isEqualTo("n=1;");
        assertThat(xCache(second)).isEqualTo("HIT");
    }

    @Test
    void anUpstream500IsNotStoredEvenWithAFreshnessLifetime() throws Exception {
        HttpResponse<String> first = get("/default/broken?status=500");
        HttpResponse<String> second = get("/default/broken?status=500");

        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(second.statusCode()).isEqualTo(500);
        assertThat(xCache(second)).isEqualTo("MISS");
        assertThat(second.body()).isNotEqualTo(first.body());
    }

    // ---- freshness ----

    /** One response and when its request was sent and its answer came, in epoch millis. */
    private record Timed(long sentAt, long receivedAt, HttpResponse<String> response) {

        String body() {
            return response.body();
        }
    }

    /** GETs the path every 100 ms until a request is sent over 1.3 s after the first answer came back. */
    private List<Timed> pollPastOneSecond(String path) {
        List<Timed> seen = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
            long sentAt = System.currentTimeMillis();
            HttpResponse<String> response = get(path);
            seen.add(new Timed(sentAt, System.currentTimeMillis(), response));
            return sentAt > seen.get(0).receivedAt() + 1300;
        });
        return seen;
    }

    @Test
    void anEntryPastItsMaxAgeIsNotServedAsFresh() {
        List<Timed> seen = pollPastOneSecond("/default/short?cc=max-age=1");
        // Stored before the first answer came back, so expired a second after it at the latest.
        long expiredBy = seen.get(0).receivedAt() + 1000;

        assertThat(seen.get(0).body()).isEqualTo("n=1;");
        assertThat(seen).allSatisfy(timed -> {
            if (timed.sentAt() >= expiredBy) {
                assertThat(timed.body()).as("sent %d ms after the first answer", timed.sentAt() - seen.get(0).receivedAt())
                        .isNotEqualTo("n=1;");
            }
            if ("HIT".equals(xCache(timed.response()))) {
                assertThat(Long.parseLong(timed.response().headers().firstValue("Age").orElseThrow()))
                        .isLessThanOrEqualTo(1);
            }
        });
        assertThat(upstreamRequests.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anEntryIsServedForAllOfItsMaxAge() {
        // Starts mid-second, so an expiry rounded down to a whole second would cut the entry's life by half.
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                .until(() -> System.currentTimeMillis() % 1000 >= 400 && System.currentTimeMillis() % 1000 < 600);
        List<Timed> seen = pollPastOneSecond("/default/short?cc=max-age=1");
        // Stored after the first request was sent, so fresh until a second after that at the earliest.
        long freshUntil = seen.get(0).sentAt() + 1000;

        assertThat(seen.subList(1, seen.size())).allSatisfy(timed -> {
            if (timed.receivedAt() < freshUntil) {
                assertThat(xCache(timed.response()))
                        .as("answered %d ms after the first request was sent", timed.receivedAt() - seen.get(0).sentAt())
                        .isEqualTo("HIT");
            }
        });
    }

    @Test
    void aResponseWhoseExpiresIsInThePastIsNotStored() throws Exception {
        get("/default/old?cc=none&expires=past");
        HttpResponse<String> second = get("/default/old?cc=none&expires=past");

        assertThat(second.body()).isEqualTo("n=2;");
        assertThat(xCache(second)).isEqualTo("MISS");
    }

    @Test
    void anInvalidExpiresCountsAsThePast() throws Exception {
        get("/default/zero?cc=none&expires=0");
        HttpResponse<String> second = get("/default/zero?cc=none&expires=0");

        assertThat(second.body()).isEqualTo("n=2;");
        assertThat(xCache(second)).isEqualTo("MISS");
    }

    // ---- methods ----

    @Test
    void aPostToACachedRouteIsNeverCached() throws Exception {
        HttpResponse<String> first = send("POST", "/default/orders", HttpRequest.BodyPublishers.ofString("a"));
        HttpResponse<String> second = send("POST", "/default/orders", HttpRequest.BodyPublishers.ofString("a"));
        HttpResponse<String> afterwards = get("/default/orders");

        assertThat(first.body()).isEqualTo("n=1;");
        assertThat(second.body()).isEqualTo("n=2;");
        assertThat(first.headers().firstValue("X-Cache")).isEmpty();
        assertThat(second.headers().firstValue("X-Cache")).isEmpty();
        assertThat(afterwards.body()).as("no POST response answers a GET").isEqualTo("n=3;");
        assertThat(xCache(afterwards)).isEqualTo("MISS");
    }

    @Test
    void aHeadMissIsNotStoredForAGet() throws Exception {
        HttpResponse<String> head = send("HEAD", "/default/doc?size=64", HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> get = get("/default/doc?size=64");
        HttpResponse<String> again = get("/default/doc?size=64");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(xCache(head)).isEqualTo("MISS");
        assertThat(head.body()).isEmpty();
        assertThat(xCache(get)).isEqualTo("MISS");
        assertThat(get.body()).hasSize(64).startsWith("n=2;");
        assertThat(xCache(again)).isEqualTo("HIT");
        assertThat(again.body()).isEqualTo(get.body());
    }

    /**
     * An upstream over a plain socket whose first response stops partway through its body and
     * closes the connection, chunked under {@code /cut/chunked} and short of its Content-Length
     * otherwise; later responses are whole ({@code n=<n>;}). One connection per response.
     */
    private static final class CuttingUpstream implements AutoCloseable {

        private final ServerSocket server;
        private final AtomicInteger requests = new AtomicInteger();

        CuttingUpstream() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "cutting-upstream");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    serve(socket);
                } catch (IOException e) {
                    // closed by the test, or by the gateway mid-request: either way, next connection
                }
            }
        }

        private void serve(Socket socket) throws IOException {
            String head = head(socket.getInputStream());
            int n = requests.incrementAndGet();
            String response;
            if (n > 1) {
                String body = "n=" + n + ";";
                response = "HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nContent-Length: " + body.length()
                        + "\r\nConnection: close\r\n\r\n" + body;
            } else if (head.contains(" /cut/chunked ")) {
                response = "HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nn=1;.\r\n";
            } else {
                response = "HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nContent-Length: 100\r\n\r\nn=1;.";
            }
            OutputStream out = socket.getOutputStream();
            out.write(response.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private static String head(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < end.length) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("closed before the end of the request head");
                }
                head.write(c);
                matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
