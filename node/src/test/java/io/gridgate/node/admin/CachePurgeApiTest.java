package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.cluster.CachedResponse;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.ResponseCache;
import io.gridgate.cluster.testing.TestGrids;
import io.gridgate.node.config.AdminConfig;
import io.gridgate.node.testing.TestCluster;
import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /admin/cache/purge} over HTTP against a cluster of two nodes: entries go straight into
 * the grid, purges go through the endpoint, and the grid tells what is left.
 */
class CachePurgeApiTest {

    private static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR = Duration.ofHours(1).toMillis();

    /** Cache key to entry: what every test starts with. */
    private static final Map<String, CachedResponse> FIXTURE = new LinkedHashMap<>();

    static {
        FIXTURE.put("items?a=1&b=2 on host a", entry("/items", "/items?a=1&b=2", "product:1"));
        FIXTURE.put("items?a=1&b=2 on host b", entry("/items", "/items?a=1&b=2", "product:1"));
        FIXTURE.put("items?a=2", entry("/items", "/items?a=2", "product:2"));
        FIXTURE.put("items", entry("/items", "/items"));
        FIXTURE.put("items/7", entry("/items/7", "/items/7", "product:7", "order:1"));
        FIXTURE.put("items/7/reviews", entry("/items/7/reviews", "/items/7/reviews", "product:7"));
        FIXTURE.put("itemsets", entry("/itemsets", "/itemsets"));
        FIXTURE.put("orders/1", entry("/orders/1", "/orders/1", "order:1"));
    }

    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(2, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, token: %s}
                routes: []
                """.formatted(ADMIN_TOKEN));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** Empties the cache and stores the fixture, through node 1. */
    @BeforeEach
    void fill() {
        ResponseCache cache = cache(0);
        cache.purgePrefix("/").toCompletableFuture().join();
        FIXTURE.forEach((key, entry) -> cache.put(key, entry).toCompletableFuture().join());
        assertThat(present(0)).containsExactlyElementsOf(FIXTURE.keySet());
    }

    private static CachedResponse entry(String path, String resource, String... tags) {
        long now = System.currentTimeMillis();
        return new CachedResponse(200, List.of(new CachedResponse.Header("Content-Type", "text/plain")),
                resource.getBytes(StandardCharsets.UTF_8), now, now + HOUR, now + 2 * HOUR, Set.of(tags), path,
                resource, List.of());
    }

    private static ResponseCache cache(int node) {
        return cluster.node(node).grid().cache();
    }

    /** The fixture's keys still in the cache, read through the node, in fixture order. */
    private static List<String> present(int node) {
        List<String> present = new ArrayList<>();
        for (String key : FIXTURE.keySet()) {
            if (cache(node).get(key).toCompletableFuture().join().isPresent()) {
                present.add(key);
            }
        }
        return present;
    }

    private static List<String> fixtureWithout(String... purged) {
        List<String> left = new ArrayList<>(FIXTURE.keySet());
        left.removeAll(List.of(purged));
        return left;
    }

    private static HttpRequest.Builder request(int node, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(cluster.adminUri(node, "/admin/cache/purge"))
                .header("Content-Type", "application/json");
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> purge(int node, String body) {
        return cluster.send(request(node, ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return JSON.readTree(response.body());
    }

    private static List<String> errors(HttpResponse<String> response) throws Exception {
        List<String> errors = new ArrayList<>();
        json(response).path("errors").forEach(error -> errors.add(error.path("message").asText()));
        return errors;
    }

    private static void assertPurged(HttpResponse<String> response, int count, String by, String value) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("purged").asInt()).isEqualTo(count);
        assertThat(body.get("by").asText()).isEqualTo(by);
        assertThat(body.get("value").asText()).isEqualTo(value);
        assertThat(body.size()).isEqualTo(3);
    }

    @Test
    @Covers(value = "POST /admin/cache/purge", statuses = 200)
    void aUrlPurgeRemovesThatResourceOnEveryHostWhateverTheOrderOfItsQuery() throws Exception {
        HttpResponse<String> response = purge(0, "{\"url\": \"/items?b=2&a=1\"}");

        assertPurged(response, 2, "url", "/items?a=1&b=2");
        assertThat(present(0)).containsExactlyElementsOf(fixtureWithout("items?a=1&b=2 on host a", "items?a=1&b=2 on host b"));
    }

    @Test
    void aUrlPurgeWithoutAQueryRemovesOnlyTheResourceWithoutOne() throws Exception {
        HttpResponse<String> response = purge(0, "{\"url\": \"/items\"}");

        assertPurged(response, 1, "url", "/items");
        assertThat(present(0)).containsExactlyElementsOf(fixtureWithout("items"));
    }

    @Test
    void aPrefixPurgeRemovesEveryPathStartingWithIt() throws Exception {
        HttpResponse<String> under = purge(0, "{\"prefix\": \"/items/\"}");

        assertPurged(under, 2, "prefix", "/items/");
        assertThat(present(0)).containsExactlyElementsOf(fixtureWithout("items/7", "items/7/reviews"));

        HttpResponse<String> bare = purge(0, "{\"prefix\": \"/items\"}");

        assertPurged(bare, 5, "prefix", "/items");
        assertThat(present(0)).containsExactly("orders/1");
    }

    @Test
    void aTagPurgeRemovesEveryEntryCarryingTheTagWhateverItsPath() throws Exception {
        HttpResponse<String> response = purge(0, "{\"tag\": \"order:1\"}");

        assertPurged(response, 2, "tag", "order:1");
        assertThat(present(0)).containsExactlyElementsOf(fixtureWithout("items/7", "orders/1"));
    }

    @Test
    void aPurgeThatMatchesNothingAnswers200WithZero() throws Exception {
        assertPurged(purge(0, "{\"tag\": \"order:404\"}"), 0, "tag", "order:404");
        assertPurged(purge(0, "{\"url\": \"/items?a=1\"}"), 0, "url", "/items?a=1");
        assertPurged(purge(0, "{\"prefix\": \"/nothing/\"}"), 0, "prefix", "/nothing/");
        assertThat(present(0)).containsExactlyElementsOf(FIXTURE.keySet());
    }

    @Test
    void aPurgeThroughTheSecondNodeRemovesEntriesStoredThroughTheFirstFromBothNodes() throws Exception {
        assertThat(present(1)).as("read through node 2 first, so its near cache holds them")
                .containsExactlyElementsOf(FIXTURE.keySet());

        HttpResponse<String> response = purge(1, "{\"prefix\": \"/items\"}");

        assertPurged(response, 7, "prefix", "/items");
        for (int node = 0; node < 2; node++) {
            int n = node;
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(present(n)).as("node %d", n + 1).containsExactly("orders/1"));
        }
    }

    static Stream<Arguments> badBodies() {
        String url = "(expected: a path and optional query: a non-empty string starting with '/', without control characters)";
        String prefix = "(expected: a path prefix: a non-empty string starting with '/', without control characters)";
        String tag = "(expected: a non-empty string without control characters)";
        String object = "(expected: a JSON object with exactly one of url, prefix, tag)";
        return Stream.of(
                Arguments.of("{}", List.of(": none of url, prefix, tag given (expected: exactly one of url, prefix, tag)")),
                Arguments.of("{\"url\": \"/items\", \"tag\": \"order:1\"}",
                        List.of(": url and tag given (expected: exactly one of url, prefix, tag)")),
                Arguments.of("{\"url\": \"/items\", \"prefix\": \"/items\", \"tag\": \"order:1\"}",
                        List.of(": url and prefix and tag given (expected: exactly one of url, prefix, tag)")),
                Arguments.of("{\"url\": \"\"}", List.of("/url: \"\" " + url)),
                Arguments.of("{\"prefix\": \"\"}", List.of("/prefix: \"\" " + prefix)),
                Arguments.of("{\"tag\": \"\"}", List.of("/tag: \"\" " + tag)),
                Arguments.of("{\"tag\": 42}", List.of("/tag: 42 " + tag)),
                Arguments.of("{\"url\": [\"/items\"]}", List.of("/url: [...] " + url)),
                Arguments.of("{\"prefix\": {\"path\": \"/items\"}}", List.of("/prefix: {...} " + prefix)),
                Arguments.of("{\"url\": null}", List.of("/url: null " + url)),
                Arguments.of("{\"url\": \"items?a=1\"}", List.of("/url: \"items?a=1\" " + url)),
                Arguments.of("{\"url\": \"http://example.com/items\"}", List.of("/url: \"http://example.com/items\" " + url)),
                Arguments.of("{\"prefix\": \"items/\"}", List.of("/prefix: \"items/\" " + prefix)),
                Arguments.of("{\"tag\": \"order:1\\n\"}", List.of("/tag: \"order:1\\n\" " + tag)),
                Arguments.of("{\"tag\": \"order:1\", \"limit\": 10}",
                        List.of("/limit: unknown field (expected: one of url, prefix, tag)")),
                Arguments.of("{\"prefix\": \"\", \"tag\": 1}", List.of("/prefix: \"\" " + prefix, "/tag: 1 " + tag,
                        ": prefix and tag given (expected: exactly one of url, prefix, tag)")),
                Arguments.of("[\"/items\"]", List.of(": [...] " + object)),
                Arguments.of("\"/items\"", List.of(": \"/items\" " + object)),
                Arguments.of("null", List.of(": null " + object)),
                Arguments.of("", List.of(": empty body " + object)));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    @Covers(value = "POST /admin/cache/purge", statuses = 400)
    void aBadBodyIs400WithEachProblemByFieldAndPurgesNothing(String body, List<String> expected) throws Exception {
        HttpResponse<String> response = purge(0, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("invalid_request");
        assertThat(errors(response)).containsExactlyElementsOf(expected);
        assertThat(present(0)).containsExactlyElementsOf(FIXTURE.keySet());
    }

    @ParameterizedTest
    @MethodSource("malformedJson")
    void aBodyThatIsNotOneJsonDocumentIs400AndPurgesNothing(String body) throws Exception {
        HttpResponse<String> response = purge(0, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode reply = json(response);
        assertThat(reply.get("error").asText()).isEqualTo("invalid_request");
        assertThat(reply.get("message").asText()).isEqualTo("the body is not JSON");
        assertThat(errors(response)).singleElement().asString()
                .startsWith(": ").endsWith(" (expected: a JSON object with exactly one of url, prefix, tag)");
        assertThat(present(0)).containsExactlyElementsOf(FIXTURE.keySet());
    }

    static Stream<String> malformedJson() {
        return Stream.of(
                "{\"url\": \"/items\"",
                "url=/items",
                "{'tag': 'order:1'}",
                "{\"tag\": \"order:1\"} {\"tag\": \"product:7\"}",
                "{\"tag\": \"order:1\", \"tag\": \"product:7\"}");
    }

    @Test
    @Covers(value = "POST /admin/cache/purge", statuses = 401)
    void aWrongOrMissingTokenIs401AndPurgesNothing() throws Exception {
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (String token : new String[] {null, "wrong-admin-token-0123456789", TestCluster.TOKEN}) {
            responses.add(cluster.send(request(0, token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prefix\": \"/\"}")).build()));
        }

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).contains("\"error\":\"unauthorized\"");
            assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"gridgate-admin\"");
        });
        assertThat(present(0)).containsExactlyElementsOf(FIXTURE.keySet());
    }

    @Test
    void withoutAnAdminTokenConfiguredTheEndpointIs403() throws Exception {
        try (TestGateway gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                routes: []
                """)) {
            HttpResponse<String> response = cluster.send(HttpRequest.newBuilder(gateway.adminUri("/admin/cache/purge"))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prefix\": \"/\"}")).build());

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(json(response).get("error").asText()).isEqualTo("admin_api_disabled");
        }
    }

    /** A valid body of exactly {@code bytes} bytes, purging a tag that matches nothing. */
    private static String tagBodyOf(int bytes) {
        String shell = "{\"tag\": \"\"}";
        return "{\"tag\": \"" + "x".repeat(bytes - shell.length()) + "\"}";
    }

    private static HttpResponse<String> purgeChunked(String body) {
        return cluster.send(request(0, ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))).build());
    }

    @Test
    @Covers(value = "POST /admin/cache/purge", statuses = {200, 413})
    void aBodyOfUpTo4KiBIsTakenAndALargerOneIs413WhetherItsLengthIsAnnouncedOrNot() throws Exception {
        String atLimit = tagBodyOf(CacheHandlers.MAX_BODY_BYTES);
        String overLimit = tagBodyOf(CacheHandlers.MAX_BODY_BYTES + 1);
        assertThat(atLimit).hasSize(4096);

        HttpResponse<String> taken = purge(0, atLimit);
        HttpResponse<String> takenChunked = purgeChunked(atLimit);
        HttpResponse<String> announced = purge(0, overLimit);
        HttpResponse<String> chunked = purgeChunked(overLimit);
        HttpResponse<String> megabyteChunked = purgeChunked(tagBodyOf(1024 * 1024));

        for (HttpResponse<String> response : List.of(taken, takenChunked)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).get("purged").asInt()).isZero();
        }
        for (HttpResponse<String> response : List.of(announced, chunked, megabyteChunked)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
            assertThat(json(response).get("error").asText()).isEqualTo("payload_too_large");
            assertThat(json(response).path("errors")).singleElement().satisfies(error -> {
                assertThat(error.path("field").asText()).isEmpty();
                assertThat(error.path("constraint").asText()).isEqualTo("at most 4096 bytes");
                assertThat(error.path("message").asText()).isEqualTo(": a larger body (expected: at most 4096 bytes)");
            });
        }
        assertThat(present(0)).containsExactlyElementsOf(FIXTURE.keySet());
    }

    @Test
    void anyMethodButPostIs405() throws Exception {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            HttpResponse<String> response = cluster.send(request(0, ADMIN_TOKEN)
                    .method(method, HttpRequest.BodyPublishers.ofString("{\"prefix\": \"/\"}")).build());

            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(json(response).get("error").asText()).isEqualTo("method_not_allowed");
        }
        assertThat(present(0)).containsExactlyElementsOf(FIXTURE.keySet());
    }

    @Test
    void theEndpointIs503UntilTheGridHasJoinedAndWhenTheGridFails() throws Exception {
        AdminConfig config = new AdminConfig("127.0.0.1", 0, Optional.empty(), Optional.of(ADMIN_TOKEN));
        try (AdminServer admin = AdminServer.start(config, new Readiness()); TestGrids grids = new TestGrids()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/admin/cache/purge"))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"tag\": \"order:1\"}")).build();
            HttpClient client = HttpClient.newHttpClient();

            HttpResponse<String> joining = client.send(request, HttpResponse.BodyHandlers.ofString());
            // The fault: a member that has crashed, so every grid call fails.
            Grid crashed = grids.newGrid();
            grids.crash(crashed);
            admin.serveCache(new CacheHandlers(crashed.cache(), Optional.of(ADMIN_TOKEN)));
            HttpResponse<String> failing = client.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(joining.statusCode()).isEqualTo(503);
            assertThat(json(joining).get("message").asText()).isEqualTo("the node is still joining its cluster");
            assertThat(failing.statusCode()).isEqualTo(503);
            assertThat(json(failing).get("error").asText()).isEqualTo("grid_unavailable");
        }
    }
}
