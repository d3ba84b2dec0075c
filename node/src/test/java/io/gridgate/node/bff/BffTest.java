package io.gridgate.node.bff;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.config.ConfigException;
import io.gridgate.node.config.ConfigLoader;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Backend-For-Frontend over real HTTP: one set of services, a small payload for the mobile client
 * and the full one for the web, the client chosen by path, header or token claim; and the request
 * edits a client's config makes before anything goes upstream.
 */
class BffTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "bff-test-secret-of-at-least-32-bytes!";

    private final HttpClient client = HttpClient.newHttpClient();
    private final TestUpstream services = TestUpstream.start(BffTest::services);
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        services.close();
    }

    /** Orders, customers and items, and {@code /echo}, which answers with what it received. */
    private static void services(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        String body = switch (path) {
            case "/orders/42" -> """
                    {"id": 42, "status": "shipped", "placedAt": "2026-11-20T10:00:00Z", "customerId": "c-7",
                     "itemIds": [1, 2], "totals": {"net": 40, "tax": 8, "gross": 48}, "warehouse": "w-3"}""";
            case "/customers/c-7" -> """
                    {"id": "c-7", "name": "Grace", "email": "grace@example.com", "address": {"city": "Arlington"}}""";
            case "/items/1" -> "{\"sku\": \"A-1\", \"name\": \"Cable\", \"qty\": 2, \"weightGrams\": 120}";
            case "/items/2" -> "{\"sku\": \"B-2\", \"name\": \"Plug\", \"weightGrams\": 30}";
            case "/echo" -> echo(exchange);
            default -> null;
        };
        if (body == null) {
            exchange.setStatusCode(404);
            body = "{}";
        }
        exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body);
    }

    private static String echo(HttpServerExchange exchange) {
        Map<String, String> headers = new TreeMap<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            headers.put(values.getHeaderName().toString().toLowerCase(), values.getFirst());
        }
        return JSON.createObjectNode().put("query", exchange.getQueryString())
                .set("headers", JSON.valueToTree(headers)).toString();
    }

    /** The calls, to go under a route's {@code compose:} (indented by 4). */
    private static final String CALLS = """
            calls:
              - {id: order, upstream: SERVICES, path: "/orders/{path.id}", into: ""}
              - {id: customer, upstream: SERVICES, path: "/customers/{order.customerId}"}
              - {id: items, upstream: SERVICES, path: "/items/{item}", forEach: order.itemIds}
            """.indent(4);

    /** The mobile client's shape, to go under a client of a route's {@code clients:} (indented by 6). */
    private static final String MOBILE_SHAPE = """
            response:
              include: [/id, /status, /customer/name, "items[*].sku", "items[*].qty", /totals/gross]
              rename: {/customer/name: /customerName, /totals/gross: /total}
              defaults: {"/items/*/qty": 1}
            """.indent(6);

    private TestGateway start(String routes) {
        gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                accessLog: {enabled: false}
                auth:
                  jwt:
                    - id: app
                      keys: [{algorithm: HS256, secret: "%s"}]
                routes:
                """.formatted(SECRET) + routes.replace("SERVICES", services.url()).stripIndent().indent(2));
        return gateway;
    }

    private JsonNode get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void theMobileRouteComposesOrderCustomerAndItemsIntoOneSmallDocumentAndTheWebRouteGetsItAll() throws Exception {
        start("""
                - id: mobile-order
                  match: {path: "/mobile/orders/{id}"}
                  compose:
                """ + CALLS + """
                  clients:
                    - name: mobile
                """ + MOBILE_SHAPE + """
                - id: web-order
                  match: {path: "/web/orders/{id}"}
                  compose:
                """ + CALLS);

        JsonNode mobile = get("/mobile/orders/42");
        JsonNode web = get("/web/orders/42");

        assertThat(mobile).isEqualTo(JSON.readTree("""
                {"id": 42, "status": "shipped", "items": [{"sku": "A-1", "qty": 2}, {"sku": "B-2", "qty": 1}],
                 "customerName": "Grace", "total": 48}"""));
        assertThat(web.path("warehouse").asText()).isEqualTo("w-3");
        assertThat(web.at("/customer/email").asText()).isEqualTo("grace@example.com");
        assertThat(web.at("/items/0/weightGrams").asInt()).isEqualTo(120);
        assertThat(mobile.toString().length()).as("the mobile payload is a fraction of the web one")
                .isLessThan(web.toString().length() / 2);
    }

    @Test
    void oneRouteShapesForTheClientItsHeaderOrTokenClaimNames() throws Exception {
        start("""
                - id: order
                  match: {path: "/orders/{id}"}
                  auth: {methods: ["jwt:app"], optional: true}
                  compose:
                """ + CALLS + """
                  clients:
                    - name: mobile-app
                      when: {claim: {client: mobile}}
                """ + MOBILE_SHAPE + """
                    - name: watch
                      when: {header: {X-Client: watch}}
                      response: {include: [/id, /status]}
                """);
        String mobileToken = JWT.create().withClaim("client", "mobile").withSubject("u-1")
                .withExpiresAt(Instant.now().plusSeconds(300)).sign(Algorithm.HMAC256(SECRET));

        JsonNode byClaim = get("/orders/42", "Authorization", "Bearer " + mobileToken);
        JsonNode byHeader = get("/orders/42", "X-Client", "watch");
        JsonNode neither = get("/orders/42");

        assertThat(byClaim.path("total").asInt()).isEqualTo(48);
        assertThat(byClaim.has("warehouse")).isFalse();
        assertThat(byHeader).isEqualTo(JSON.readTree("{\"id\": 42, \"status\": \"shipped\"}"));
        assertThat(neither.has("warehouse")).as("no client matched: the full answer").isTrue();
    }

    @Test
    void aClientsRequestEditsReachTheUpstreamOfAProxiedRoute() throws Exception {
        start("""
                - id: echo
                  match: {path: /echo}
                  upstream: SERVICES
                  clients:
                    - name: mobile
                      headers:
                        remove: [Cookie]
                        rename: {X-Device: X-Client-Device}
                        add: {X-Client-Kind: mobile}
                      query:
                        remove: [debug]
                        rename: {q: search}
                        add: {fields: small}
                """);

        JsonNode seen = get("/echo?q=red%20shoes&debug=1&page=2&fields=all", "Cookie", "session=1",
                "X-Device", "pixel", "X-Client-Kind", "forged");

        assertThat(seen.path("query").asText()).isEqualTo("search=red%20shoes&page=2&fields=small");
        JsonNode headers = seen.path("headers");
        assertThat(headers.has("cookie")).isFalse();
        assertThat(headers.has("x-device")).isFalse();
        assertThat(headers.path("x-client-device").asText()).isEqualTo("pixel");
        assertThat(headers.path("x-client-kind").asText()).as("an added header replaces the client's").isEqualTo("mobile");
    }

    @Test
    void badClientsAreRefusedAtStartWithThePathAndTheReason() {
        String document = """
                routes:
                  - id: proxied
                    upstream: "http://127.0.0.1:1"
                    clients: [{name: mobile, response: {include: [/id]}}]
                  - id: composed
                    compose: {calls: [{id: a, upstream: "http://127.0.0.1:1", path: /a}]}
                    cache: {}
                    clients:
                      - {name: watch, when: {header: {X-Client: watch}}, response: {include: ["/items/**"]}}
                      - {name: watch, when: {header: {X-A: a}, claim: {b: c}}}
                """;

        assertThatThrownBy(() -> ConfigLoader.parse("gridgate.yaml", document, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("/routes/0/clients/0/response")
                .hasMessageContaining("no response shape on a route that proxies")
                .hasMessageContaining("/routes/1/cache")
                .hasMessageContaining("/routes/1/clients/0/response/include")
                .hasMessageContaining("** (any depth) is not supported")
                .hasMessageContaining("/routes/1/clients/1/name")
                .hasMessageContaining("/routes/1/clients/1/when/claim");
    }
}
