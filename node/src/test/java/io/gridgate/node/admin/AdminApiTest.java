package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API's error paths over real HTTP, on one node: tokens, unknown paths and names, wrong
 * methods and bad registrations, and the rate-limit endpoint. What RegistryEndpointTest,
 * BreakerAdminTest and CachePurgeApiTest check already is not repeated here.
 */
class AdminApiTest {

    private static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    private static final String REGISTRATION_TOKEN = "test-registration-token";
    private static final String ADMIN_REALM = "Bearer realm=\"gridgate-admin\"";
    private static final String REGISTRY_REALM = "Bearer realm=\"gridgate-registry\"";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static TestUpstream upstream;
    private static TestGateway gateway;

    /**
     * {@code /api} limited per client address (all of this test's requests come from 127.0.0.1),
     * {@code /tenants} per tenant header and for everyone, {@code /open} not limited.
     */
    @BeforeAll
    static void start() {
        upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("ok"));
        gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, registrationToken: %s, token: %s}
                accessLog: {enabled: false}
                routes:
                  - id: api
                    match: {pathPrefix: /api}
                    upstream: %s
                    rateLimits:
                      - {id: per-client, key: [clientIp], limits: [{permits: 5, per: 1h}]}
                  - id: tenants
                    match: {pathPrefix: /tenants}
                    upstream: %s
                    rateLimits:
                      - id: per-tenant
                        key: [route, "header:X-Tenant"]
                        limits: [{permits: 10, per: 1h}, {permits: 100, per: 24h, algorithm: slidingWindow}]
                      - {id: everyone, limits: [{permits: 1000, per: 24h}], mode: leased, leaseSize: 10}
                  - {id: open, match: {pathPrefix: /open}, upstream: %s}
                """.formatted(REGISTRATION_TOKEN, ADMIN_TOKEN, upstream.url(), upstream.url(), upstream.url()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request failed: " + request, e);
        }
    }

    private static HttpResponse<String> admin(String method, String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.adminUri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private static HttpResponse<String> peek(String pathAndQuery) {
        return admin("GET", "/admin/ratelimit/" + pathAndQuery, "Bearer " + ADMIN_TOKEN, null);
    }

    private static HttpResponse<String> traffic(String path, String tenant) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path));
        if (tenant != null) {
            request.header("X-Tenant", tenant);
        }
        return send(request.build());
    }

    /** The body of a reply the node made itself, checked against the documented error object. */
    private static JsonNode error(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
        return body;
    }

    private static List<String> errors(JsonNode body) {
        List<String> errors = new ArrayList<>();
        body.path("errors").forEach(error -> errors.add(error.path("message").asText()));
        return errors;
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return JSON.readTree(response.body());
    }

    // Tokens

    static Stream<Arguments> endpointsAndTheirRealms() {
        String instance = "/registry/services/orders/instances/o-1";
        return Stream.of(
                Arguments.of("PUT", instance, REGISTRY_REALM, ADMIN_TOKEN),
                Arguments.of("DELETE", instance, REGISTRY_REALM, ADMIN_TOKEN),
                Arguments.of("GET", "/registry/services", REGISTRY_REALM, ADMIN_TOKEN),
                Arguments.of("GET", "/registry/services/orders", REGISTRY_REALM, ADMIN_TOKEN),
                Arguments.of("GET", "/admin/ratelimit/api?key=127.0.0.1", ADMIN_REALM, REGISTRATION_TOKEN));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpointsAndTheirRealms")
    @Covers(value = {"PUT /registry/services/{service}/instances/{instance}", "DELETE /registry/services/{service}/instances/{instance}", "GET /registry/services", "GET /registry/services/{service}",
            "GET /admin/ratelimit/{route}"}, statuses = 401)
    void withoutTheRightBearerTokenAnEndpointIs401AndNamesItsRealm(String method, String path, String realm,
                                                                   String otherToken) throws Exception {
        String body = method.equals("PUT") ? "{\"host\":\"10.0.0.9\",\"port\":9000}" : null;
        List<String> authorizations = new ArrayList<>();
        authorizations.add(null);
        authorizations.add("Bearer wrong-token-0123456789");
        authorizations.add("Bearer " + otherToken);
        authorizations.add("Basic " + (realm.equals(ADMIN_REALM) ? ADMIN_TOKEN : REGISTRATION_TOKEN));
        authorizations.add("Bearer");

        for (String authorization : authorizations) {
            HttpResponse<String> response = admin(method, path, authorization, body);

            error(response, 401, "unauthorized");
            assertThat(response.headers().firstValue("www-authenticate")).as(authorization).hasValue(realm);
        }
        assertThat(gateway.node().grid().registry().instances("orders")).isEmpty();
    }

    @Test
    void theBearerSchemeIsMatchedWhateverItsCase() throws Exception {
        ok(admin("GET", "/registry/services", "bearer " + REGISTRATION_TOKEN, null));
        ok(admin("GET", "/admin/ratelimit/api?key=192.0.2.1", "BEARER " + ADMIN_TOKEN, null));
    }

    // Unknown paths and names

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET, /",
            "GET, /admin",
            "GET, /admin/nothing",
            "GET, /admin/breakers/orders",
            "GET, /admin/ratelimit",
            "GET, /admin/ratelimit/api/per-client",
            "PUT, /registry/services/orders/instances",
            "GET, /health",
            "GET, /openapi.yaml"})
    void aPathTheListenerDoesNotServeIs404NoRouteEvenWithAToken(String method, String path) throws Exception {
        HttpResponse<String> response = admin(method, path, "Bearer " + ADMIN_TOKEN, null);

        error(response, 404, "no_route");
    }

    @Test
    @Covers(value = {"GET /registry/services/{service}", "DELETE /registry/services/{service}/instances/{instance}"}, statuses = 404)
    void anUnknownServiceOrInstanceIs404WithItsOwnCode() throws Exception {
        String token = "Bearer " + REGISTRATION_TOKEN;

        JsonNode service = error(admin("GET", "/registry/services/nothing", token, null), 404, "service_not_found");
        JsonNode instance = error(admin("DELETE", "/registry/services/orders/instances/nothing", token, null), 404,
                "instance_not_found");

        assertThat(service.get("message").asText()).isEqualTo("no instance of service nothing is registered");
        assertThat(instance.get("message").asText()).isEqualTo("no instance nothing of service orders");
    }

    // Methods

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST, /health/live",
            "DELETE, /health/ready",
            "POST, /registry/services",
            "DELETE, /registry/services/orders",
            "PATCH, /registry/services/orders/instances/o-1",
            "GET, /admin/breakers/orders/open",
            "DELETE, /admin/breakers",
            "POST, /admin/ratelimit/api",
            "POST, /metrics",
            "PUT, /openapi.json"})
    void aServedPathWithAnotherMethodIs405(String method, String path) throws Exception {
        HttpResponse<String> response = admin(method, path, "Bearer " + ADMIN_TOKEN, "{}");

        error(response, 405, "method_not_allowed");
    }

    // Bodies

    static Stream<Arguments> badRegistrations() {
        String instance = "/registry/services/orders/instances/o-1";
        return Stream.of(
                Arguments.of(instance, "", List.of(": empty body (expected: a JSON object)")),
                Arguments.of(instance, "null", List.of(": null (expected: a JSON object)")),
                Arguments.of(instance, "[]", List.of(": [...] (expected: a JSON object)")),
                Arguments.of(instance, "\"10.0.0.7:9000\"", List.of(": \"10.0.0.7:9000\" (expected: a JSON object)")),
                Arguments.of(instance, "{\"host\":\"10.0.0.7/24\",\"port\":9000}",
                        List.of("/host: \"10.0.0.7/24\" (expected: a host name or IP address)")),
                Arguments.of(instance, "{\"host\":\"h\",\"port\":\"9000\"}",
                        List.of("/port: \"9000\" (expected: an integer from 1 to 65535)")),
                Arguments.of(instance, "{\"host\":\"h\",\"port\":9000,\"zone\":\"eu 1a\"}",
                        List.of("/zone: \"eu 1a\" (expected: a zone name matching [A-Za-z0-9][A-Za-z0-9._-]{0,63})")),
                Arguments.of(instance, "{\"host\":\"h\",\"port\":9000,\"metadata\":{\"v\":1.4}}",
                        List.of("/metadata/v: 1.4 (expected: a string of at most 256 characters, under a key of at most 64)")),
                Arguments.of(instance, "{\"host\":\"h\",\"port\":9000,\"metadata\":[\"v\"]}",
                        List.of("/metadata: [...] (expected: an object of strings)")),
                Arguments.of(instance, "{\"host\":42,\"port\":0,\"weight\":101}", List.of(
                        "/host: 42 (expected: a host name or IP address)",
                        "/port: 0 (expected: an integer from 1 to 65535)",
                        "/weight: 101 (expected: an integer from 1 to 100)")),
                Arguments.of("/registry/services/orders/instances/o%201", "{\"host\":\"h\",\"port\":9000}",
                        List.of("instance: \"o 1\" (expected: an id matching [A-Za-z0-9][A-Za-z0-9._:-]{0,127})")));
    }

    @ParameterizedTest
    @MethodSource("badRegistrations")
    @Covers(value = "PUT /registry/services/{service}/instances/{instance}", statuses = 400)
    void aBadRegistrationIs400NamingEachFieldItsValueAndTheConstraint(String path, String body, List<String> expected)
            throws Exception {
        HttpResponse<String> response = admin("PUT", path, "Bearer " + REGISTRATION_TOKEN, body);

        assertThat(errors(error(response, 400, "invalid_registration"))).containsExactlyElementsOf(expected);
        assertThat(gateway.node().grid().registry().instances("orders")).isEmpty();
    }

    @Test
    @Covers(value = "PUT /registry/services/{service}/instances/{instance}", statuses = 413)
    void aRegistrationOverTheBoundIs413NamingTheBodyAsTheFieldAtFaultWhetherItsLengthIsAnnouncedOrNot() throws Exception {
        String huge = "{\"host\":\"h\",\"port\":1,\"metadata\":{\"k\":\""
                + "x".repeat(RegistryHandlers.MAX_BODY_BYTES) + "\"}}";
        HttpRequest.Builder chunked = HttpRequest.newBuilder(gateway.adminUri("/registry/services/orders/instances/o-9"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes(UTF_8))))
                .header("Authorization", "Bearer " + REGISTRATION_TOKEN);

        for (HttpResponse<String> response : List.of(
                admin("PUT", "/registry/services/orders/instances/o-9", "Bearer " + REGISTRATION_TOKEN, huge),
                send(chunked.build()))) {
            JsonNode reply = error(response, 413, "payload_too_large");
            assertThat(reply.at("/errors/0/field").asText()).isEmpty();
            assertThat(reply.at("/errors/0/constraint").asText()).isEqualTo("at most 16384 bytes");
            assertThat(errors(reply)).containsExactly(": a larger body (expected: at most 16384 bytes)");
        }
        assertThat(gateway.node().grid().registry().instances("orders")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"host\": \"h\", \"port\": 9000", "{'host': 'h'}", "host=h&port=9000"})
    void aRegistrationThatIsNotJsonIs400WithTheParsersComplaint(String body) throws Exception {
        HttpResponse<String> response = admin("PUT", "/registry/services/orders/instances/o-1",
                "Bearer " + REGISTRATION_TOKEN, body);

        JsonNode reply = error(response, 400, "invalid_registration");
        assertThat(reply.get("message").asText()).isEqualTo("the body is not JSON");
        assertThat(errors(reply)).singleElement().asString().startsWith(": ").endsWith(" (expected: a JSON object)");
    }

    // Rate limits

    @Test
    @Covers(value = "GET /admin/ratelimit/{route}", statuses = 200)
    void aReadingShowsWhatIsLeftForTheKeyAndChargesNothing() throws Exception {
        assertThat(traffic("/api/items", null).statusCode()).isEqualTo(200);
        assertThat(traffic("/api/items", null).statusCode()).isEqualTo(200);

        JsonNode first = ok(peek("api?key=127.0.0.1"));
        JsonNode second = ok(peek("api?key=127.0.0.1"));
        HttpResponse<String> next = traffic("/api/items", null);

        assertThat(first.get("route").asText()).isEqualTo("api");
        assertThat(first.get("key")).extracting(JsonNode::asText).containsExactly("127.0.0.1");
        JsonNode policy = first.get("policies").get(0);
        assertThat(first.get("policies")).hasSize(1);
        assertThat(policy.get("policy").asText()).isEqualTo("per-client");
        assertThat(policy.get("keyParts")).extracting(JsonNode::asText).containsExactly("clientIp");
        assertThat(policy.get("counter").asText()).isEqualTo("per-client|ip=127.0.0.1");
        assertThat(policy.get("mode").asText()).isEqualTo("exact");
        assertThat(policy.get("exists").asBoolean()).isTrue();
        assertThat(policy.get("admitsOne").asBoolean()).isTrue();
        JsonNode limit = policy.get("limits").get(0);
        assertThat(limit.get("algorithm").asText()).isEqualTo("tokenBucket");
        assertThat(limit.get("permits").asLong()).isEqualTo(5);
        assertThat(limit.get("per").asText()).isEqualTo("PT1H");
        assertThat(limit.get("burst").asLong()).isEqualTo(5);
        assertThat(limit.get("remaining").asLong()).isEqualTo(3);
        assertThat(limit.get("nextPermitAt").asText()).isEqualTo(policy.get("at").asText());
        assertThat(Instant.parse(limit.get("resetAt").asText())).isAfter(Instant.parse(policy.get("at").asText()));
        assertThat(second.get("policies").get(0).get("limits").get(0).get("remaining").asLong())
                .as("the first reading charged nothing").isEqualTo(3);
        assertThat(next.headers().firstValue("ratelimit")).as("neither reading charged a permit")
                .hasValueSatisfying(value -> assertThat(value).startsWith("\"per-client\";r=2;"));
    }

    @Test
    void aKeyWithoutCountersReadsAsFullAndStaysWithout() throws Exception {
        JsonNode first = ok(peek("api?key=198.51.100.23")).get("policies").get(0);
        JsonNode second = ok(peek("api?key=198.51.100.23")).get("policies").get(0);

        assertThat(first.get("exists").asBoolean()).isFalse();
        assertThat(first.get("limits").get(0).get("remaining").asLong()).isEqualTo(5);
        assertThat(second.get("exists").asBoolean()).as("a reading stores nothing").isFalse();
    }

    @Test
    void everyPolicyOfTheRouteIsReadWithTheRouteFillingItsOwnKeyPart() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(traffic("/tenants/1", "acme").statusCode()).isEqualTo(200);
        }

        JsonNode reading = ok(peek("tenants?key=acme"));

        JsonNode perTenant = reading.get("policies").get(0);
        assertThat(perTenant.get("policy").asText()).isEqualTo("per-tenant");
        assertThat(perTenant.get("keyParts")).extracting(JsonNode::asText).containsExactly("header:X-Tenant");
        assertThat(perTenant.get("counter").asText()).isEqualTo("per-tenant|route=tenants|X-Tenant=acme");
        assertThat(perTenant.get("limits")).extracting(limit -> limit.get("algorithm").asText() + " "
                + limit.get("remaining").asLong()).containsExactly("tokenBucket 7", "slidingWindow 97");
        assertThat(perTenant.get("limits").get(1).has("burst")).isFalse();
        JsonNode everyone = reading.get("policies").get(1);
        assertThat(everyone.get("policy").asText()).isEqualTo("everyone");
        assertThat(everyone.get("keyParts")).isEmpty();
        assertThat(everyone.get("counter").asText()).isEqualTo("everyone");
        assertThat(everyone.get("mode").asText()).isEqualTo("leased");
        assertThat(everyone.get("exists").asBoolean()).isTrue();
        assertThat(everyone.get("limits").get(0).get("remaining").asLong())
                .as("in leased mode the grid counts a whole lease as spent").isBetween(900L, 990L);
    }

    @Test
    void onePolicyIsReadByNameAndOneWithoutKeyPartsNeedsNoKey() throws Exception {
        JsonNode reading = ok(peek("tenants?policy=everyone"));

        assertThat(reading.get("key")).isEmpty();
        assertThat(reading.get("policies")).extracting(policy -> policy.get("policy").asText()).containsExactly("everyone");
    }

    @Test
    void anEmptyKeyValueReadsTheCounterOfRequestsWithoutTheHeader() throws Exception {
        assertThat(traffic("/tenants/1", null).statusCode()).isEqualTo(200);

        JsonNode perTenant = ok(peek("tenants?policy=per-tenant&key=")).get("policies").get(0);

        assertThat(perTenant.get("counter").asText()).isEqualTo("per-tenant|route=tenants|X-Tenant=");
        assertThat(perTenant.get("exists").asBoolean()).isTrue();
        assertThat(perTenant.get("limits").get(0).get("remaining").asLong()).isEqualTo(9);
    }

    @Test
    @Covers(value = "GET /admin/ratelimit/{route}", statuses = 400)
    void aMissingKeyOrOneWithTheWrongNumberOfValuesIs400NamingTheKeyAndWhatItNeeds() throws Exception {
        JsonNode missing = error(peek("api"), 400, "invalid_request");
        JsonNode twoValues = error(peek("api?key=127.0.0.1&key=acme"), 400, "invalid_request");
        JsonNode forTwoPolicies = error(peek("tenants?key=acme&key=127.0.0.1"), 400, "invalid_request");

        assertThat(errors(missing)).containsExactly("key: missing (expected: the value of clientIp for policy per-client)");
        assertThat(errors(twoValues)).containsExactly("key: 2 values (expected: the value of clientIp for policy per-client)");
        assertThat(errors(forTwoPolicies)).containsExactly("key: 2 values (expected: the value of header:X-Tenant for "
                + "policy per-tenant; or name one policy with ?policy=)");
    }

    @Test
    @Covers(value = "GET /admin/ratelimit/{route}", statuses = 404)
    void anUnknownRouteARouteWithoutRateLimitsOrAnUnknownPolicyIs404() throws Exception {
        JsonNode route = error(peek("nothing?key=127.0.0.1"), 404, "rate_limit_not_found");
        JsonNode unlimited = error(peek("open?key=127.0.0.1"), 404, "rate_limit_not_found");
        JsonNode policy = error(peek("api?key=127.0.0.1&policy=per-planet"), 404, "rate_limit_not_found");

        assertThat(route.get("message").asText()).isEqualTo("no route nothing");
        assertThat(unlimited.get("message").asText()).isEqualTo("route open has no rate limit");
        assertThat(policy.get("message").asText()).isEqualTo("route api has no rate-limit policy per-planet");
    }

    @Test
    void withoutAnAdminTokenConfiguredTheRateLimitEndpointIs403() throws Exception {
        try (TestGateway off = TestGateway.withRoutes("[]")) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(off.adminUri("/admin/ratelimit/api?key=x"))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).build());

            error(response, 403, "admin_api_disabled");
        }
    }
}
