package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;

import static io.gridgate.node.admin.AdminHttp.error;
import static io.gridgate.node.admin.AdminHttp.ok;
import static io.gridgate.node.admin.AdminHttp.problem;
import static io.gridgate.node.admin.AdminHttp.unauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole shared document over real HTTP on one node: reading, exporting and replacing it, its
 * history, diffs, rollback and the cluster view, with every error each endpoint can answer and the
 * field and constraint each error names.
 */
class ConfigDocumentApiTest {

    private static final String TOKEN = "document-admin-token-0123456789";
    private static final String SECRET = "a-shared-secret-of-at-least-32-bytes!!";

    private static TestUpstream upstream;
    private static TestGateway gateway;
    private static AdminHttp admin;

    @BeforeAll
    static void start() {
        upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("ok"));
        gateway = AdminHttp.node(TOKEN, null, """
                auth:
                  jwt:
                    - id: internal
                      keys: [{algorithm: HS256, secret: "%s"}]
                routes:
                  - {id: items, match: {pathPrefix: /items}, upstream: "%s"}
                """.formatted(SECRET, upstream.url()));
        admin = new AdminHttp(gateway, TOKEN);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    private static String route(String id) {
        return "{\"match\": {\"pathPrefix\": \"/" + id + "\"}, \"upstream\": \"" + upstream.url() + "\"}";
    }

    /** A new version, by adding a route; its number. */
    private static long change(String id) {
        return ok(admin.send("PUT", "/admin/routes/" + id, admin.version(), route(id)), 200).path("version").asLong();
    }

    @Test
    @Covers(value = {"GET /admin/config", "GET /admin/config/export", "GET /admin/config/versions",
            "GET /admin/config/versions/{version}", "GET /admin/cluster"}, statuses = 200)
    void theDocumentItsExportItsVersionsAndTheClusterAreReadWithTheToken() {
        long version = change("reads");

        HttpResponse<String> current = admin.get("/admin/config");
        HttpResponse<String> export = admin.get("/admin/config/export");
        JsonNode versions = ok(admin.get("/admin/config/versions"), 200);
        JsonNode one = ok(admin.get("/admin/config/versions/" + version), 200);
        JsonNode cluster = ok(admin.get("/admin/cluster"), 200);

        assertThat(ok(current, 200).path("version").asLong()).isEqualTo(version);
        assertThat(current.headers().firstValue("ETag")).hasValue("\"" + version + "\"");
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.body()).contains("id: reads").doesNotContain(SECRET);
        assertThat(versions.path("current").asLong()).isEqualTo(version);
        assertThat(versions.path("versions").findValuesAsText("source")).anyMatch(source -> source.contains("PUT /routes/reads"));
        assertThat(one.path("version").asLong()).isEqualTo(version);
        assertThat(one.at("/document/routes").findValuesAsText("id")).contains("reads");
        assertThat(cluster.at("/members/0/configVersion").asLong()).isEqualTo(version);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET, /admin/config",
            "PUT, /admin/config",
            "GET, /admin/config/export",
            "GET, /admin/config/versions",
            "GET, /admin/config/versions/1",
            "GET, /admin/config/diff?from=1",
            "POST, /admin/config/rollback",
            "GET, /admin/cluster"})
    @Covers(value = {"GET /admin/config", "PUT /admin/config", "GET /admin/config/export", "GET /admin/config/versions",
            "GET /admin/config/versions/{version}", "GET /admin/config/diff", "POST /admin/config/rollback",
            "GET /admin/cluster"}, statuses = 401)
    void withoutTheAdminTokenADocumentEndpointIs401AndShowsNothing(String method, String path) {
        String before = admin.version();
        String body = method.equals("GET") ? null : "{\"version\": 1}";

        for (String authorization : new String[] {null, "Bearer not-the-token-0123456789", "Basic " + TOKEN}) {
            HttpResponse<String> response = admin.send(method, path, authorization, before, body);

            unauthorized(response, AdminHttp.ADMIN_REALM);
            assertThat(response.body()).doesNotContain("items");
        }
        assertThat(admin.version()).isEqualTo(before);
    }

    /**
     * A document sent back with its secrets hidden is checked as rewritten with them restored; its
     * problems still carry the lines of the body sent.
     */
    @Test
    @Covers(value = "PUT /admin/config", statuses = 400)
    void aDocumentWithHiddenSecretsIsReportedAtTheLinesSentThoughItIsCheckedRewritten() {
        String document = """
                auth:
                  jwt:
                    - id: internal
                      keys: [{algorithm: HS256, secret: "(hidden)"}]
                routes:
                  - id: items
                    match: {pathPrefix: /items}
                    upstream: ftp://nowhere
                """;

        JsonNode reply = error(admin.send("PUT", "/admin/config", admin.version(), document), 400, "invalid_config");

        JsonNode upstreamProblem = problem(reply, "/routes/0/upstream");
        assertThat(upstreamProblem.path("line").asInt()).isEqualTo(8);
        assertThat(upstreamProblem.path("column").asInt()).isEqualTo(15);
        assertThat(upstreamProblem.path("text").asText()).startsWith("request body:8:15 /routes/0/upstream: \"ftp://nowhere\"");
    }

    @Test
    @Covers(value = "PUT /admin/config", statuses = 400)
    void aDocumentThatIsNotYamlIs400AtTheBodyWithItsSyntaxConstraint() {
        JsonNode reply = error(admin.send("PUT", "/admin/config", admin.version(), "routes: [\n  {id: x\n"), 400,
                "invalid_config");

        assertThat(problem(reply, "").path("constraint").asText()).isEqualTo("a well-formed YAML (or JSON) document");
    }

    @Test
    @Covers(value = "GET /admin/config/versions/{version}", statuses = {400, 404})
    void aVersionThatIsNoNumberIs400AndOneNotKeptIs404() {
        JsonNode word = error(admin.get("/admin/config/versions/latest"), 400, "invalid_request");
        JsonNode zero = error(admin.get("/admin/config/versions/0"), 400, "invalid_request");
        JsonNode unknown = error(admin.get("/admin/config/versions/9999"), 404, "not_found");

        assertThat(problem(word, "version").path("message").asText())
                .isEqualTo("version: latest (expected: a configuration version, a number from 1)");
        assertThat(problem(zero, "version").path("constraint").asText()).isEqualTo("a configuration version, a number from 1");
        assertThat(unknown.path("message").asText()).isEqualTo("no configuration version 9999 (the grid keeps the last 20)");
    }

    @Test
    @Covers(value = "GET /admin/config/diff", statuses = {200, 400, 404})
    void aDiffNamesWhatChangedAndABadOrUnknownVersionIsRefusedByName() {
        long before = ok(admin.get("/admin/config"), 200).path("version").asLong();
        long after = change("diffed");

        JsonNode diff = ok(admin.get("/admin/config/diff?from=" + before + "&to=" + after), 200);
        JsonNode toCurrent = ok(admin.get("/admin/config/diff?from=" + before), 200);

        assertThat(diff.at("/changes/0/op").asText()).isEqualTo("add");
        assertThat(diff.at("/changes/0/to/id").asText()).isEqualTo("diffed");
        assertThat(toCurrent.path("to").asLong()).isEqualTo(after);
        assertThat(problem(error(admin.get("/admin/config/diff"), 400, "invalid_request"), "from").path("message").asText())
                .startsWith("from: missing (expected: ");
        problem(error(admin.get("/admin/config/diff?from=x"), 400, "invalid_request"), "from");
        assertThat(problem(error(admin.get("/admin/config/diff?from=1&to=x"), 400, "invalid_request"), "to")
                .path("message").asText()).startsWith("to: x (expected: ");
        assertThat(error(admin.get("/admin/config/diff?from=9999"), 404, "not_found").path("message").asText())
                .startsWith("no configuration version 9999");
        assertThat(error(admin.get("/admin/config/diff?from=1&to=9998"), 404, "not_found").path("message").asText())
                .startsWith("no configuration version 9998");
    }

    @Test
    @Covers(value = "POST /admin/config/rollback", statuses = {200, 400, 404, 409, 428})
    void aRollbackStoresAnOldDocumentAsNewAndEveryBadRollbackIsRefusedByName() {
        long target = ok(admin.get("/admin/config"), 200).path("version").asLong();
        String stale = admin.version();
        change("rolled");
        String current = admin.version();

        JsonNode conflict = error(admin.send("POST", "/admin/config/rollback", stale, "{\"version\": " + target + "}"), 409,
                "version_conflict");
        JsonNode unversioned = error(admin.send("POST", "/admin/config/rollback", null, "{\"version\": " + target + "}"), 428,
                "precondition_required");
        JsonNode notJson = error(admin.send("POST", "/admin/config/rollback", current, "version=1"), 400, "invalid_request");
        JsonNode noVersion = error(admin.send("POST", "/admin/config/rollback", current, "{}"), 400, "invalid_request");
        JsonNode textVersion = error(admin.send("POST", "/admin/config/rollback", current, "{\"version\": \"one\"}"), 400,
                "invalid_request");
        JsonNode unknown = error(admin.send("POST", "/admin/config/rollback", current, "{\"version\": 9999}"), 404, "not_found");

        assertThat(problem(conflict, "If-Match").path("constraint").asText()).isEqualTo("the version in force, " + current);
        problem(unversioned, "If-Match");
        assertThat(problem(notJson, "").path("constraint").asText()).isEqualTo("a JSON object such as {\"version\": 3}");
        assertThat(problem(noVersion, "/version").path("message").asText()).startsWith("/version: missing (expected: ");
        assertThat(problem(textVersion, "/version").path("message").asText()).startsWith("/version: \"one\" (expected: ");
        assertThat(unknown.path("message").asText()).startsWith("no configuration version 9999");
        assertThat(admin.version()).isEqualTo(current);

        JsonNode rolledBack = ok(admin.send("POST", "/admin/config/rollback", current, "{\"version\": " + target + "}"), 200);

        assertThat(admin.get("/admin/routes/rolled").statusCode()).isEqualTo(404);
        assertThat(rolledBack.path("digest").asText())
                .isEqualTo(ok(admin.get("/admin/config/versions/" + target), 200).path("digest").asText());
    }
}
