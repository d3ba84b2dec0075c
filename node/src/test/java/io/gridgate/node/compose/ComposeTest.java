package io.gridgate.node.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.config.ConfigException;
import io.gridgate.node.config.ConfigLoader;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.server.HttpServerExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Composite routes against real upstreams over loopback: calls in parallel, calls that wait for
 * another's result, fan-out over an array, optional and required failures, and the config checks.
 */
class ComposeTest {

    private static final Logger LOG = Logger.getLogger(ComposeTest.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newHttpClient();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Map<String, String> headersSeen = new ConcurrentHashMap<>();
    private final TestUpstream shop = TestUpstream.start(this::shop);
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        shop.close();
    }

    /**
     * Orders, customers and items; {@code /slow/*} answers after 50 ms, {@code /stalled} after 10 s
     * (past any timeout a test sets, however late a busy machine runs the node's timer), {@code /broken}
     * with 500.
     */
    private void shop(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        seen.add(path + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString()));
        String consumer = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
        if (consumer != null) {
            headersSeen.put("X-Forwarded-For", consumer);
        }
        if (path.equals("/stalled")) {
            TestUpstream.answerAfter(exchange, Duration.ofSeconds(10), () -> json(exchange, 200, "{}"));
            return;
        }
        if (path.startsWith("/slow/")) {
            // The upstream's own latency, which the test measures against.
            TestUpstream.answerAfter(exchange, Duration.ofMillis(50),
                    () -> json(exchange, 200, "{\"" + path.substring(6) + "\": true}"));
            return;
        }
        switch (path) {
            case "/orders/7" -> json(exchange, 200,
                    "{\"id\": 7, \"status\": \"paid\", \"customerId\": \"c-1\", \"itemIds\": [11, 12, 13]}");
            case "/orders/8" -> json(exchange, 200,
                    "{\"id\": 8, \"status\": \"new\", \"customerId\": \"c-2\", \"itemIds\": [11]}");
            case "/customers/c-1" -> json(exchange, 200, "{\"id\": \"c-1\", \"name\": \"Ada\", \"email\": \"ada@example.com\"}");
            case "/items/11", "/items/12", "/items/13" -> json(exchange, 200,
                    "{\"id\": " + path.substring(7) + ", \"name\": \"item " + path.substring(7) + "\", \"price\": 5}");
            case "/broken" -> json(exchange, 500, "{}");
            case "/text" -> {
                exchange.getResponseSender().send("not json");
            }
            default -> json(exchange, 404, "{}");
        }
    }

    private static void json(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body);
    }

    private TestGateway start(String routes) {
        gateway = TestGateway.withRoutes(routes.replace("SHOP", shop.url()));
        return gateway;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final String ORDER_VIEW = """
            - id: order-view
              match: {path: "/views/orders/{id}"}
              compose:
                calls:
                  - {id: order, upstream: SHOP, path: "/orders/{path.id}", into: ""}
                  - {id: customer, upstream: SHOP, path: "/customers/{order.customerId}", optional: true}
                  - {id: items, upstream: SHOP, path: "/items/{item}", forEach: order.itemIds}
            """;

    @Test
    void callsThatReadAnotherCallsResultRunAfterItAndTheResultsAreMerged() throws Exception {
        start(ORDER_VIEW);

        HttpResponse<String> response = get("/views/orders/7");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue(ComposeHandler.PARTIAL)).isEmpty();
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("id").asInt()).as("the order merged at the top").isEqualTo(7);
        assertThat(body.path("status").asText()).isEqualTo("paid");
        assertThat(body.at("/customer/name").asText()).isEqualTo("Ada");
        assertThat(body.path("items")).hasSize(3);
        assertThat(body.at("/items/2/name").asText()).as("fan-out keeps the array's order").isEqualTo("item 13");
        assertThat(seen).containsExactlyInAnyOrder("/orders/7", "/customers/c-1", "/items/11", "/items/12", "/items/13");
        assertThat(headersSeen).containsEntry("X-Forwarded-For", "127.0.0.1");
    }

    @Test
    void threeIndependentCallsOf50MillisecondsTakeAbout50NotTheirSum() throws Exception {
        start("""
                - id: dashboard
                  match: {path: /dashboard}
                  compose:
                    calls:
                      - {id: a, upstream: SHOP, path: /slow/a}
                      - {id: b, upstream: SHOP, path: /slow/b}
                      - {id: c, upstream: SHOP, path: /slow/c}
                """);
        assertThat(get("/dashboard").statusCode()).isEqualTo(200); // connections and classes warm

        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = get("/dashboard");
            best = Math.min(best, (System.nanoTime() - start) / 1_000_000);
            assertThat(JSON.readTree(response.body()).at("/c/c").asBoolean()).isTrue();
        }

        long fastest = best;
        LOG.info(() -> "3 parallel calls of 50 ms each: fastest of 5 compositions " + fastest + " ms");
        assertThat(fastest).as("in parallel: about 50 ms, far from the 150 ms of three in a row")
                .isGreaterThanOrEqualTo(50).isLessThan(120);
    }

    @Test
    void anOptionalCallThatFailsLeavesNullAndMarksTheAnswerPartial() throws Exception {
        start(ORDER_VIEW);

        HttpResponse<String> response = get("/views/orders/8");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(ComposeHandler.PARTIAL)).hasValue("customer");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("customer").isNull()).isTrue();
        assertThat(body.path("_partial")).extracting(JsonNode::asText).containsExactly("customer");
        assertThat(body.path("items")).hasSize(1);
    }

    @Test
    void aRequiredCallThatFailsFailsTheAnswerAndNamesTheCall() throws Exception {
        start(ORDER_VIEW + """
                - id: broken
                  match: {path: /broken-view}
                  compose:
                    calls:
                      - {id: order, upstream: SHOP, path: /orders/7}
                      - {id: stock, upstream: SHOP, path: /broken}
                - id: not-json
                  match: {path: /text-view}
                  compose:
                    calls: [{id: page, upstream: SHOP, path: /text}]
                - id: unreachable
                  match: {path: /down-view}
                  compose:
                    calls: [{id: down, upstream: "http://127.0.0.1:1", path: /x}]
                """);

        HttpResponse<String> missing = get("/views/orders/404");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("call").asText()).isEqualTo("order");

        HttpResponse<String> broken = get("/broken-view");
        assertThat(broken.statusCode()).isEqualTo(502);
        JsonNode error = JSON.readTree(broken.body());
        assertThat(error.path("error").asText()).isEqualTo("call_failed");
        assertThat(error.path("call").asText()).isEqualTo("stock");
        assertThat(error.path("message").asText()).contains("answered 500");

        HttpResponse<String> text = get("/text-view");
        assertThat(text.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(text.body()).path("message").asText()).contains("not JSON");

        HttpResponse<String> down = get("/down-view");
        assertThat(down.statusCode()).isEqualTo(502);
        JsonNode refused = JSON.readTree(down.body());
        assertThat(refused.path("call").asText()).isEqualTo("down");
        // The client learns which upstream failed, not the socket's error: that goes to the node's log.
        assertThat(refused.path("message").asText()).contains("cannot reach").doesNotContain("refused")
                .doesNotContain("Exception");
    }

    @Test
    void aCallPastItsTimeoutIs504NamingIt() throws Exception {
        start("""
                - id: late
                  match: {path: /late}
                  compose:
                    timeout: 1s
                    calls:
                      - {id: quick, upstream: SHOP, path: /orders/7}
                      - {id: slow, upstream: SHOP, path: /stalled, timeout: 20ms}
                """);

        HttpResponse<String> response = get("/late");

        assertThat(response.statusCode()).isEqualTo(504);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).isEqualTo("call_timeout");
        assertThat(body.path("call").asText()).isEqualTo("slow");
    }

    @Test
    void aFanOutLargerThanItsBoundFailsWithoutCallingAnything() throws Exception {
        start(ORDER_VIEW.replace("calls:", "maxFanOut: 2\n    calls:"));

        HttpResponse<String> response = get("/views/orders/7");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(response.body()).path("message").asText()).contains("more than maxFanOut 2");
        assertThat(seen).noneMatch(path -> path.startsWith("/items/"));
    }

    @Test
    void otherMethodsThanGetAndHeadAreRefusedAndHeadHasNoBody() throws Exception {
        start(ORDER_VIEW);

        HttpResponse<String> post = client.send(HttpRequest.newBuilder(gateway.uri("/views/orders/7"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(gateway.uri("/views/orders/7"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length").orElse(0)).isPositive();
    }

    @Test
    void callsToARegisteredServiceAreBalancedOverItsInstancesAndCarryTheClientsIdentity() throws Exception {
        List<String> answeredBy = new CopyOnWriteArrayList<>();
        List<String> consumers = new CopyOnWriteArrayList<>();
        try (TestUpstream first = TestUpstream.start(exchange -> catalog(exchange, "first", answeredBy, consumers));
             TestUpstream second = TestUpstream.start(exchange -> catalog(exchange, "second", answeredBy, consumers));
             io.gridgate.node.testing.TestCluster cluster = io.gridgate.node.testing.TestCluster.start(1, """
                     server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                     admin: {bindAddress: 127.0.0.1, port: 0, registrationToken: %s}
                     accessLog: {enabled: false}
                     auth:
                       consumers: [{id: phone-app, apiKeys: [phone-app-key-0123456789]}]
                     routes:
                       - id: catalog-view
                         match: {path: /catalog-view}
                         auth: {methods: [apiKey]}
                         compose:
                           calls:
                             - {id: a, upstream: "service:catalog", path: /items/a}
                             - {id: b, upstream: "service:catalog", path: /items/b}
                     """.formatted(io.gridgate.node.testing.TestCluster.TOKEN))) {
            assertThat(cluster.register(0, "catalog", "c-1",
                    "{\"host\":\"127.0.0.1\",\"port\":" + first.port() + ",\"ttlSeconds\":30}").statusCode()).isEqualTo(201);
            assertThat(cluster.register(0, "catalog", "c-2",
                    "{\"host\":\"127.0.0.1\",\"port\":" + second.port() + ",\"ttlSeconds\":30}").statusCode()).isEqualTo(201);

            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = cluster.send(HttpRequest.newBuilder(cluster.uri(0, "/catalog-view"))
                        .header("X-API-Key", "phone-app-key-0123456789").build());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            }

            assertThat(answeredBy).hasSize(8).contains("first", "second");
            assertThat(consumers).hasSize(8).containsOnly("phone-app");
        }
    }

    private static void catalog(HttpServerExchange exchange, String name, List<String> answeredBy, List<String> consumers) {
        answeredBy.add(name);
        consumers.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Consumer-Id")));
        json(exchange, 200, "{\"from\": \"" + name + "\"}");
    }

    @Test
    void anAnswerLargerThanTheBoundIsAFailureNotABuffer() throws Exception {
        start(ORDER_VIEW.replace("calls:", "maxBodyBytes: 64\n    calls:"));

        HttpResponse<String> response = get("/views/orders/7");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(response.body()).path("message").asText()).contains("larger than 64 bytes");
    }

    @Test
    void callsGiveTheirConnectionBackOnceAnsweredSoAFanOutWiderThanThePoolTakesTurns() throws Exception {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        try (TestUpstream counted = TestUpstream.start(exchange -> {
            clientPorts.add(exchange.getSourceAddress().getPort());
            shop(exchange);
        })) {
            gateway = TestGateway.withRoutes(ORDER_VIEW.replace("SHOP", counted.url())
                    .replace("  compose:", "  pool: {maxConnections: 1, maxQueue: 8}\n  compose:"));

            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = get("/views/orders/7");
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(JSON.readTree(response.body()).path("items")).hasSize(3);
            }
        }

        // Five calls a run, three of them at once, over one connection: none held it until the answer was written.
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void anIdleConnectionTheUpstreamDroppedIsReplacedAndTheCallSentAgain() throws Exception {
        try (OneRequestPerConnection upstream = new OneRequestPerConnection()) {
            gateway = TestGateway.withRoutes("""
                    - id: single
                      match: {path: /single}
                      compose:
                        calls:
                          - {id: order, upstream: UP, path: /orders/7}
                    """.replace("UP", upstream.url()));

            HttpResponse<String> first = get("/single");
            HttpResponse<String> second = get("/single");

            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
            assertThat(JSON.readTree(second.body()).at("/order/id").asInt()).isEqualTo(7);
            assertThat(upstream.connections()).as("the kept connection, then a new one for the retry").isEqualTo(2);
        }
    }

    /**
     * An upstream that answers the first request on each connection and drops the connection when a
     * second arrives, as a server whose keep-alive timeout passed while the connection sat idle.
     */
    private static final class OneRequestPerConnection implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread acceptor;

        OneRequestPerConnection() throws IOException {
            server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::accept, "one-request-upstream");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    Thread serving = new Thread(() -> serve(socket), "one-request-connection");
                    serving.setDaemon(true);
                    serving.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private static void serve(Socket socket) {
            try (socket) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                readHead(in);
                byte[] body = "{\"id\": 7}".getBytes(StandardCharsets.UTF_8);
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                readHead(in); // the second request: dropped unanswered
            } catch (IOException e) {
                // the gateway closed first: nothing to answer
            }
        }

        private static void readHead(BufferedReader in) throws IOException {
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                // a GET has no body: the head ends the request
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Test
    void badCompositionsAreRefusedAtStartWithThePathAndTheReason() {
        String document = """
                routes:
                  - id: bad
                    match: {path: "/x/{id}"}
                    compose:
                      calls:
                        - {id: a, upstream: "http://127.0.0.1:1", path: "/a/{path.nope}"}
                        - {id: b, upstream: "http://127.0.0.1:1", path: "/b/{c.x}"}
                        - {id: c, upstream: "http://127.0.0.1:1", path: "/c/{b.y}"}
                        - {id: d, upstream: "http://127.0.0.1:1", path: "/d/{item}"}
                        - {id: a, upstream: "http://127.0.0.1:1", path: /e}
                  - id: both
                    upstream: "http://127.0.0.1:1"
                    compose: {calls: [{id: a, upstream: "http://127.0.0.1:1", path: /a}]}
                """;

        assertThatThrownBy(() -> ConfigLoader.parse("gridgate.yaml", document, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("/routes/0/compose/calls/0/path")
                .hasMessageContaining("{path.NAME} names a variable of the route's match.path [id]")
                .hasMessageContaining("do not depend on one another in a circle")
                .hasMessageContaining("{item} only in a call with forEach")
                .hasMessageContaining("/routes/0/compose/calls/4/id")
                .hasMessageContaining("/routes/1/");
    }
}
