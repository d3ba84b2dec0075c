package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.config.ConfigError;
import io.gridgate.node.config.ConfigException;
import io.gridgate.node.config.ConfigLoader;
import io.gridgate.node.testing.RawHttp;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared-configuration admin API over real HTTP on one node: reads, whole-document and
 * per-resource changes with their version checks, validation errors, history, diff and rollback,
 * and that what a change says is what the node serves right after.
 */
class ConfigApiTest {

    private static final String LIST_POLICIES = "GET /admin/policies";
    private static final String GET_POLICY = "GET /admin/policies/{id}";
    private static final String PUT_POLICY = "PUT /admin/policies/{id}";
    private static final String DELETE_POLICY = "DELETE /admin/policies/{id}";


    private static final String TOKEN = "config-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HS_SECRET = "a-shared-secret-of-at-least-32-bytes!!";

    private final HttpClient client = HttpClient.newHttpClient();
    private TestUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("upstream saw " + exchange.getRequestPath()));
        gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, token: %s}
                accessLog: {enabled: false}
                auth:
                  jwt:
                    - id: internal
                      keys: [{algorithm: HS256, secret: "%s"}]
                routes:
                  - id: items
                    match: {pathPrefix: /items}
                    upstream: %s
                """.formatted(TOKEN, HS_SECRET, upstream.url()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private HttpResponse<String> admin(String method, String path, String body, String ifMatch, boolean withToken)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.adminUri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (withToken) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String method, String path, String body, String ifMatch) throws Exception {
        return admin(method, path, body, ifMatch, true);
    }

    private HttpResponse<String> traffic(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void theFileSeedsVersionOneWhichReadsBackWithItsSecretsHidden() throws Exception {
        HttpResponse<String> response = admin("GET", "/admin/config", null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("ETag")).hasValue("\"1\"");
        JsonNode body = json(response);
        assertThat(body.path("version").asLong()).isEqualTo(1);
        assertThat(body.path("source").asText()).isEqualTo("file test.yaml");
        assertThat(body.at("/document/routes/0/id").asText()).isEqualTo("items");
        assertThat(body.at("/document/auth/jwt/0/keys/0/secret").asText()).isEqualTo("(hidden)");
        assertThat(response.body()).doesNotContain(HS_SECRET);
        assertThat(body.at("/document/server").isMissingNode()).as("node-local sections are not shared").isTrue();
    }

    @Test
    void everyEndpointWantsTheAdminToken() throws Exception {
        for (String path : new String[] {"/admin/config", "/admin/config/versions", "/admin/routes", "/admin/cluster",
                "/admin/config/export"}) {
            HttpResponse<String> response = admin("GET", path, null, null, false);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(path).isPresent();
            assertThat(json(response).path("error").asText()).isEqualTo("unauthorized");
        }
    }

    @Test
    void aReplacedDocumentIsServedAsSoonAsTheChangeAnswers() throws Exception {
        assertThat(traffic("/orders/1").statusCode()).isEqualTo(404);
        String document = """
                routes:
                  - id: items
                    match: {pathPrefix: /items}
                    upstream: %s
                  - id: orders
                    match: {pathPrefix: /orders}
                    upstream: %s
                auth:
                  jwt:
                    - id: internal
                      keys: [{algorithm: HS256, secret: "(hidden)"}]
                """.formatted(upstream.url(), upstream.url());

        HttpResponse<String> changed = admin("PUT", "/admin/config", document, "\"1\"");

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag")).hasValue("\"2\"");
        assertThat(json(changed).path("version").asLong()).isEqualTo(2);
        assertThat(json(changed).path("changed").asBoolean()).isTrue();
        assertThat(json(changed).path("runningHere").asBoolean()).isTrue();
        HttpResponse<String> served = traffic("/orders/1");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo("upstream saw /orders/1");
        assertThat(gateway.node().liveConfig().config().auth().jwt().get(0).keys().get(0).secret())
                .as("a secret sent back hidden keeps its value").hasValue(HS_SECRET);
    }

    @Test
    @Covers(value = "PUT /admin/config", statuses = {200, 400, 409, 428})
    void aChangeBasedOnAnOlderVersionIsAConflictAndOneWithoutAVersionIsRefused() throws Exception {
        String document = "routes: []\n";
        assertThat(admin("PUT", "/admin/config", document, "\"1\"").statusCode()).isEqualTo(200);

        HttpResponse<String> stale = admin("PUT", "/admin/config", "routes: [{id: x, upstream: \"" + upstream.url() + "\"}]\n", "\"1\"");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(json(stale).path("error").asText()).isEqualTo("version_conflict");
        assertThat(json(stale).path("currentVersion").asLong()).isEqualTo(2);
        assertThat(stale.headers().firstValue("ETag")).hasValue("\"2\"");

        HttpResponse<String> unversioned = admin("PUT", "/admin/config", document, null);
        assertThat(unversioned.statusCode()).isEqualTo(428);
        assertThat(json(unversioned).path("error").asText()).isEqualTo("precondition_required");
        assertThat(json(unversioned).at("/errors/0/field").asText()).isEqualTo("If-Match");

        HttpResponse<String> garbled = admin("PUT", "/admin/config", document, "latest");
        assertThat(garbled.statusCode()).isEqualTo(400);
        assertThat(json(garbled).path("message").asText()).contains("If-Match: latest");
        assertThat(json(garbled).at("/errors/0/field").asText()).isEqualTo("If-Match");
    }

    @Test
    @Covers(value = "PUT /admin/config", statuses = 400)
    void anInvalidDocumentGetsTheFilesOwnMessagesWithTheBodysLinesAndChangesNothing() throws Exception {
        String document = """
                routes:
                  - id: items
                    match: {pathPrefix: /items}
                    upstream: %s
                    rateLimit: {limits: [{permits: 0, per: 1s}]}
                """.formatted(upstream.url());
        ConfigError expected;
        try {
            ConfigLoader.parse("request body", document, Map.of());
            throw new AssertionError("the document should be invalid");
        } catch (ConfigException e) {
            expected = e.errors().get(0);
        }

        HttpResponse<String> response = admin("PUT", "/admin/config", document, "\"1\"");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).isEqualTo("invalid_config");
        assertThat(body.at("/errors/0/text").asText()).isEqualTo(expected.toString());
        assertThat(body.at("/errors/0/field").asText()).as("the body is the document").isEqualTo(expected.path());
        assertThat(body.at("/errors/0/constraint").asText()).isEqualTo(expected.constraint()).isNotBlank();
        assertThat(body.at("/errors/0/path").asText()).startsWith("/routes/0/rateLimit");
        assertThat(body.at("/errors/0/line").asInt()).isEqualTo(5);
        assertThat(json(admin("GET", "/admin/config", null, null)).path("version").asLong()).isEqualTo(1);
    }

    @Test
    void aNodeLocalSectionIsRefusedByName() throws Exception {
        HttpResponse<String> response = admin("PUT", "/admin/config", "server: {port: 9999}\nroutes: []\n", "\"1\"");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/errors/0/path").asText()).isEqualTo("/server");
        assertThat(json(response).at("/errors/0/message").asText()).contains("each node sets server in its own file");
    }

    @Test
    void routesChangeOneAtATime() throws Exception {
        String route = "{\"match\": {\"pathPrefix\": \"/carts\"}, \"upstream\": \"" + upstream.url() + "\"}";

        HttpResponse<String> added = admin("PUT", "/admin/routes/carts", route, "\"1\"");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(traffic("/carts/9").body()).isEqualTo("upstream saw /carts/9");
        HttpResponse<String> read = admin("GET", "/admin/routes/carts", null, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read).path("id").asText()).isEqualTo("carts");
        assertThat(json(admin("GET", "/admin/routes", null, null)).path("routes")).hasSize(2);

        HttpResponse<String> mismatched = admin("PUT", "/admin/routes/carts", "{\"id\": \"other\"}", "\"2\"");
        assertThat(mismatched.statusCode()).isEqualTo(400);
        assertThat(json(mismatched).path("message").asText()).contains("/id");

        HttpResponse<String> invalid = admin("PUT", "/admin/routes/carts", "{\"upstream\": \"ftp://nowhere\"}", "\"2\"");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).at("/errors/0/path").asText()).isEqualTo("/routes/1/upstream");

        assertThat(admin("DELETE", "/admin/routes/carts", null, "\"2\"").statusCode()).isEqualTo(200);
        assertThat(traffic("/carts/9").statusCode()).isEqualTo(404);
        HttpResponse<String> gone = admin("GET", "/admin/routes/carts", null, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json(gone).path("error").asText()).isEqualTo("not_found");
        assertThat(admin("DELETE", "/admin/routes/carts", null, "\"3\"").statusCode()).isEqualTo(404);
    }

    @Test
    void aConsumerAddedThroughTheApiCanUseItsKeyWhichNoCopyOfTheConfigurationHolds() throws Exception {
        String withAuth = """
                routes:
                  - id: items
                    match: {pathPrefix: /items}
                    upstream: %s
                    auth: {methods: [apiKey]}
                """.formatted(upstream.url());
        assertThat(admin("PUT", "/admin/config", withAuth, "\"1\"").statusCode()).isEqualTo(200);
        String key = "mobile-key-0123456789abcdef";
        assertThat(apiKeyRequest(key).statusCode()).isEqualTo(401);

        HttpResponse<String> added = admin("PUT", "/admin/consumers/mobile",
                "{\"apiKeys\": [\"" + key + "\"], \"scopes\": [\"items:read\"]}", "\"2\"");

        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(apiKeyRequest(key).statusCode()).isEqualTo(200);
        HttpResponse<String> read = admin("GET", "/admin/consumers/mobile", null, null);
        assertThat(read.body()).doesNotContain(key).contains("sha256:");
        assertThat(admin("GET", "/admin/config/export", null, null).body()).doesNotContain(key);

        assertThat(admin("DELETE", "/admin/consumers/mobile", null, "\"3\"").statusCode()).isEqualTo(200);
        assertThat(apiKeyRequest(key).statusCode()).as("a deleted consumer's key stops working").isEqualTo(401);
    }

    private HttpResponse<String> apiKeyRequest(String key) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri("/items/1")).header("X-API-Key", key).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void historyDiffAndRollback() throws Exception {
        String route = "{\"match\": {\"pathPrefix\": \"/carts\"}, \"upstream\": \"" + upstream.url() + "\"}";
        assertThat(admin("PUT", "/admin/routes/carts", route, "\"1\"").statusCode()).isEqualTo(200);

        JsonNode versions = json(admin("GET", "/admin/config/versions", null, null));
        assertThat(versions.path("current").asLong()).isEqualTo(2);
        assertThat(versions.path("versions")).extracting(v -> v.path("version").asLong()).containsExactly(1L, 2L);
        assertThat(versions.at("/versions/1/source").asText()).contains("PUT /routes/carts");

        JsonNode diff = json(admin("GET", "/admin/config/diff?from=1&to=2", null, null));
        assertThat(diff.path("changes")).hasSize(1);
        assertThat(diff.at("/changes/0/op").asText()).isEqualTo("add");
        assertThat(diff.at("/changes/0/path").asText()).isEqualTo("/routes/1");
        assertThat(diff.at("/changes/0/to/id").asText()).isEqualTo("carts");

        HttpResponse<String> rolledBack = admin("POST", "/admin/config/rollback", "{\"version\": 1}", "\"2\"");
        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(200);
        assertThat(json(rolledBack).path("version").asLong()).isEqualTo(3);
        assertThat(json(rolledBack).path("digest").asText())
                .isEqualTo(json(admin("GET", "/admin/config/versions/1", null, null)).path("digest").asText());
        assertThat(traffic("/carts/1").statusCode()).isEqualTo(404);

        assertThat(admin("GET", "/admin/config/versions/99", null, null).statusCode()).isEqualTo(404);
        assertThat(admin("GET", "/admin/config/diff?from=x", null, null).statusCode()).isEqualTo(400);
        assertThat(admin("POST", "/admin/config/rollback", "{\"version\": 99}", "\"3\"").statusCode()).isEqualTo(404);
        assertThat(admin("POST", "/admin/config/rollback", "{}", "\"3\"").statusCode()).isEqualTo(400);
    }

    @Test
    void theExportIsYamlTheFileCanUseAndTheClusterViewNamesThisNodesVersion() throws Exception {
        HttpResponse<String> export = admin("GET", "/admin/config/export", null, null);

        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
        assertThat(export.body()).contains("id: items").doesNotContain(HS_SECRET);
        assertThatThrownBy(() -> ConfigLoader.parse("export.yaml", export.body(), Map.of()))
                .as("the hidden secret is the only thing that keeps the export from loading as it is")
                .isInstanceOf(ConfigException.class).hasMessageContaining("/auth/jwt/0/keys/0/secret");

        JsonNode cluster = json(admin("GET", "/admin/cluster", null, null));
        assertThat(cluster.path("members")).hasSize(1);
        assertThat(cluster.at("/members/0/local").asBoolean()).isTrue();
        assertThat(cluster.at("/members/0/configVersion").asLong()).isEqualTo(1);
    }

    @Test
    @Covers(value = "PUT /admin/config", statuses = 413)
    void aBodyLargerThanTheBoundIsRefusedBeforeItIsRead() throws Exception {
        String huge = "routes: []\n#" + "x".repeat(ConfigHandlers.MAX_DOCUMENT_BYTES) + "\n";

        HttpResponse<String> response = admin("PUT", "/admin/config", huge, "\"1\"");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).path("error").asText()).isEqualTo("payload_too_large");
        assertThat(json(response).at("/errors/0/message").asText())
                .isEqualTo(": a larger body (expected: at most " + ConfigHandlers.MAX_DOCUMENT_BYTES + " bytes)");
        assertThat(json(admin("GET", "/admin/config", null, null)).path("version").asLong()).isEqualTo(1);
    }

    @Test
    @Covers(value = {"PUT /admin/config", PUT_POLICY}, statuses = 413)
    void aChunkedBodyIs413AsSoonAsItPassesTheBoundWithoutWaitingForItsEnd() throws Exception {
        for (String path : List.of("/admin/config", "/admin/policies/standard")) {
            RawHttp.Response response = putChunkedOverTheBoundAndNeverEnd(path);
            JsonNode reply = JSON.readTree(response.body());

            assertThat(response.status()).as(path).isEqualTo(413);
            assertThat(reply.path("error").asText()).isEqualTo("payload_too_large");
            assertThat(reply.path("errors")).singleElement().satisfies(error -> {
                assertThat(error.path("field").asText()).isEmpty();
                assertThat(error.path("message").asText())
                        .isEqualTo(": a larger body (expected: at most " + ConfigHandlers.MAX_DOCUMENT_BYTES + " bytes)");
            });
        }
        assertThat(json(admin("GET", "/admin/config", null, null)).path("version").asLong()).isEqualTo(1);
    }

    /**
     * Sends a chunked body one chunk past the bound and keeps the connection open without its last
     * chunk, so only a server that stops at the bound answers before the read times out.
     */
    private RawHttp.Response putChunkedOverTheBoundAndNeverEnd(String path) throws Exception {
        StringBuilder request = new StringBuilder("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\nIf-Match: \"1\"\r\nTransfer-Encoding: chunked\r\n\r\n");
        String chunk = "#" + "x".repeat(16 * 1024 - 2) + "\n";
        for (int sent = 0; sent <= ConfigHandlers.MAX_DOCUMENT_BYTES; sent += chunk.length()) {
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        try (RawHttp.Connection connection = RawHttp.Connection.open(gateway.adminUri(path).getPort())) {
            return connection.exchange(request.toString());
        }
    }

    @Test
    @Covers(value = {LIST_POLICIES, GET_POLICY, PUT_POLICY, DELETE_POLICY}, statuses = 200)
    @Covers(value = {PUT_POLICY, DELETE_POLICY}, statuses = {409, 428})
    @Covers(value = PUT_POLICY, statuses = 400)
    @Covers(value = {GET_POLICY, DELETE_POLICY}, statuses = 404)
    void policiesChangeOneAtATimeWithTheVersionChecksOfEveryResource() throws Exception {
        HttpResponse<String> none = admin("GET", "/admin/policies", null, null);
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.headers().firstValue("ETag")).hasValue("\"1\"");
        assertThat(json(none).path("policies")).isEmpty();
        String policy = "{\"rateLimit\": {\"key\": [\"clientIp\"], \"limits\": [{\"permits\": 2, \"per\": \"1h\"}]}}";

        HttpResponse<String> added = admin("PUT", "/admin/policies/standard", policy, "\"1\"");

        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(json(added).path("version").asLong()).isEqualTo(2);
        assertThat(json(added).path("runningHere").asBoolean()).isTrue();
        HttpResponse<String> read = admin("GET", "/admin/policies/standard", null, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("ETag")).hasValue("\"2\"");
        assertThat(json(read).path("id").asText()).isEqualTo("standard");
        assertThat(json(read).at("/rateLimit/limits/0/permits").asInt()).isEqualTo(2);
        assertThat(json(admin("GET", "/admin/policies", null, null)).path("policies"))
                .extracting(item -> item.path("id").asText()).containsExactly("standard");
        assertThat(json(admin("GET", "/admin/config", null, null)).at("/document/policies/standard/id").isMissingNode())
                .as("a policy is named by its key in the document, not by a field").isTrue();

        HttpResponse<String> stale = admin("PUT", "/admin/policies/standard", policy, "\"1\"");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(json(stale).path("error").asText()).isEqualTo("version_conflict");
        assertThat(json(stale).path("currentVersion").asLong()).isEqualTo(2);
        HttpResponse<String> unversioned = admin("PUT", "/admin/policies/standard", policy, null);
        assertThat(unversioned.statusCode()).isEqualTo(428);
        assertThat(json(unversioned).path("error").asText()).isEqualTo("precondition_required");

        HttpResponse<String> invalid = admin("PUT", "/admin/policies/standard",
                "{\"rateLimit\": {\"limits\": [{\"permits\": 0, \"per\": \"1h\"}]}}", "\"2\"");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).path("error").asText()).isEqualTo("invalid_config");
        assertThat(json(invalid).at("/errors/0/path").asText()).isEqualTo("/policies/standard/rateLimit/limits/0/permits");
        assertThat(json(invalid).at("/errors/0/message").asText()).isEqualTo("0 (expected: an integer from 1 to 1000000000)");
        HttpResponse<String> mismatched = admin("PUT", "/admin/policies/standard", "{\"id\": \"strict\"}", "\"2\"");
        assertThat(mismatched.statusCode()).isEqualTo(400);
        assertThat(json(mismatched).path("message").asText())
                .isEqualTo("/id: \"strict\" (expected: \"standard\", the id in the path, or no id)");
        assertThat(admin("PUT", "/admin/policies/standard", "[]", "\"2\"").statusCode()).isEqualTo(400);

        String tighter = "{\"rateLimit\": {\"key\": [\"clientIp\"], \"limits\": [{\"permits\": 1, \"per\": \"1h\"}]}}";
        assertThat(admin("PUT", "/admin/policies/standard", tighter, "\"2\"").statusCode()).isEqualTo(200);
        HttpResponse<String> staleDelete = admin("DELETE", "/admin/policies/standard", null, "\"2\"");
        assertThat(staleDelete.statusCode()).isEqualTo(409);
        assertThat(json(staleDelete).path("currentVersion").asLong()).isEqualTo(3);
        assertThat(admin("DELETE", "/admin/policies/standard", null, null).statusCode()).isEqualTo(428);
        assertThat(admin("GET", "/admin/policies/standard", null, null).statusCode())
                .as("a refused delete deletes nothing").isEqualTo(200);

        assertThat(admin("GET", "/admin/policies/strict", null, null).statusCode()).isEqualTo(404);
        assertThat(admin("DELETE", "/admin/policies/strict", null, "\"3\"").statusCode()).isEqualTo(404);
        assertThat(admin("DELETE", "/admin/policies/standard", null, "\"3\"").statusCode()).isEqualTo(200);
        HttpResponse<String> gone = admin("GET", "/admin/policies/standard", null, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json(gone).path("error").asText()).isEqualTo("not_found");
    }

    @Test
    void aServiceReadBackWithItsNameCanBeSentBackAsItIs() throws Exception {
        String service = "{\"healthCheck\": {\"path\": \"/health\"}}";
        assertThat(admin("PUT", "/admin/services/orders", service, "\"1\"").statusCode()).isEqualTo(200);
        HttpResponse<String> read = admin("GET", "/admin/services/orders", null, null);
        assertThat(json(read).path("name").asText()).isEqualTo("orders");

        HttpResponse<String> again = admin("PUT", "/admin/services/orders", read.body(), "\"2\"");

        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).path("changed").asBoolean()).as("the name is the key, not a setting").isFalse();
        HttpResponse<String> renamed = admin("PUT", "/admin/services/orders", "{\"name\": \"carts\"}", "\"2\"");
        assertThat(renamed.statusCode()).isEqualTo(400);
        assertThat(json(renamed).path("message").asText())
                .isEqualTo("/name: \"carts\" (expected: \"orders\", the name in the path, or no name)");
    }

    @Test
    @Covers(value = {LIST_POLICIES, GET_POLICY, PUT_POLICY, DELETE_POLICY}, statuses = 401)
    void everyPolicyEndpointWantsTheAdminToken() throws Exception {
        String policy = "{\"rateLimit\": {\"limits\": [{\"permits\": 2, \"per\": \"1h\"}]}}";
        for (String[] call : new String[][] {{"GET", "/admin/policies", null}, {"GET", "/admin/policies/standard", null},
                {"PUT", "/admin/policies/standard", policy}, {"DELETE", "/admin/policies/standard", null}}) {
            HttpResponse<String> response = admin(call[0], call[1], call[2], "\"1\"", false);
            assertThat(response.statusCode()).as(call[0] + " " + call[1]).isEqualTo(401);
            assertThat(json(response).path("error").asText()).isEqualTo("unauthorized");
        }
        assertThat(json(admin("GET", "/admin/config", null, null)).path("version").asLong()).isEqualTo(1);
    }

    @Test
    @Covers(value = DELETE_POLICY, statuses = 400)
    void aPolicyThatRoutesStillUseIsNotDeletedAndTheAnswerNamesThem() throws Exception {
        assertThat(admin("PUT", "/admin/config", withStandardPolicy(5), "\"1\"").statusCode()).isEqualTo(200);

        HttpResponse<String> refused = admin("DELETE", "/admin/policies/standard", null, "\"2\"");

        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode body = json(refused);
        assertThat(body.path("error").asText()).isEqualTo("invalid_config");
        assertThat(body.path("message").asText())
                .isEqualTo("policy standard is still used by routes items, orders: remove it from them first");
        assertThat(body.path("errors")).extracting(error -> error.path("path").asText())
                .containsExactly("/routes/0/rateLimits/0/policy", "/routes/1/rateLimits/0/policy");
        assertThat(json(admin("GET", "/admin/config", null, null)).path("version").asLong()).isEqualTo(2);

        HttpResponse<String> unknown = admin("PUT", "/admin/routes/carts", "{\"upstream\": \"" + upstream.url()
                + "\", \"rateLimits\": [{\"policy\": \"premium\"}]}", "\"2\"");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).at("/errors/0/path").asText()).isEqualTo("/routes/2/rateLimits/0/policy");
        assertThat(json(unknown).at("/errors/0/message").asText())
                .isEqualTo("\"premium\" (expected: the name of a rate-limit policy in policies; known: standard)");
    }

    @Test
    void aRouteIsLimitedByItsNamedPolicyAndAChangeToThePolicyIsTheLimitInForceOnceItRuns() throws Exception {
        assertThat(admin("PUT", "/admin/config", withStandardPolicy(5), "\"1\"").statusCode()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> admitted = traffic("/items/1");
            assertThat(admitted.statusCode()).isEqualTo(200);
            assertThat(admitted.headers().firstValue("RateLimit-Policy")).hasValue("\"standard\";q=5;w=3600");
        }

        HttpResponse<String> changed = admin("PUT", "/admin/policies/standard",
                "{\"rateLimit\": {\"key\": [\"clientIp\"], \"limits\": [{\"permits\": 1, \"per\": \"1h\"}]}}", "\"2\"");

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(json(changed).path("runningHere").asBoolean()).isTrue();
        HttpResponse<String> last = traffic("/items/1");
        assertThat(last.statusCode()).as("the counters are kept: one of the new limit's one permit is left").isEqualTo(200);
        assertThat(last.headers().firstValue("RateLimit-Policy")).hasValue("\"standard\";q=1;w=3600");
        HttpResponse<String> refused = traffic("/items/1");
        assertThat(refused.statusCode()).as("the old limit of 5 would have admitted a fourth request").isEqualTo(429);
        assertThat(refused.body()).contains("rate limit standard exceeded: 1 per 1h");
    }

    @Test
    void aRouteUsingANamedAuthPolicyWantsWhatThePolicyWants() throws Exception {
        String document = """
                policies:
                  partner-only: {auth: {methods: [apiKey], roles: [partner]}}
                routes:
                  - id: items
                    match: {pathPrefix: /items}
                    upstream: %s
                    auth: {policy: partner-only}
                auth:
                  consumers:
                    - {id: acme, apiKeys: ["acme-key-0123456789abcdef"], roles: [partner]}
                    - {id: mobile, apiKeys: ["mobile-key-0123456789abcdef"]}
                """.formatted(upstream.url());
        assertThat(admin("PUT", "/admin/config", document, "\"1\"").statusCode()).isEqualTo(200);

        assertThat(traffic("/items/1").statusCode()).isEqualTo(401);
        assertThat(apiKeyRequest("mobile-key-0123456789abcdef").statusCode()).isEqualTo(403);
        assertThat(apiKeyRequest("acme-key-0123456789abcdef").statusCode()).isEqualTo(200);
    }

    /** Routes items and orders, both limited by policy standard: {@code permits} per hour per client address. */
    private String withStandardPolicy(int permits) {
        return """
                policies:
                  standard:
                    rateLimit: {key: [clientIp], limits: [{permits: %d, per: 1h}]}
                routes:
                  - id: items
                    match: {pathPrefix: /items}
                    upstream: %s
                    rateLimits: [{policy: standard}]
                  - id: orders
                    match: {pathPrefix: /orders}
                    upstream: %s
                    rateLimits: [{policy: standard}]
                """.formatted(permits, upstream.url(), upstream.url());
    }
}
