package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;

import static io.gridgate.node.admin.AdminHttp.error;
import static io.gridgate.node.admin.AdminHttp.ok;
import static io.gridgate.node.admin.AdminHttp.problem;
import static io.gridgate.node.admin.AdminHttp.unauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routes, services and consumers of the shared configuration one at a time, over real HTTP on
 * one node: each family's list, read, change and removal, with every error each can answer, the
 * same table of cases for the three.
 */
class ConfigResourcesApiTest {

    private static final String TOKEN = "resources-admin-token-0123456789";
    private static final String PUT_ROUTE = "PUT /admin/routes/{id}";
    private static final String PUT_SERVICE = "PUT /admin/services/{name}";
    private static final String PUT_CONSUMER = "PUT /admin/consumers/{id}";
    private static final String DELETE_ROUTE = "DELETE /admin/routes/{id}";
    private static final String DELETE_SERVICE = "DELETE /admin/services/{name}";
    private static final String DELETE_CONSUMER = "DELETE /admin/consumers/{id}";
    private static final String LIST_ROUTES = "GET /admin/routes";
    private static final String LIST_SERVICES = "GET /admin/services";
    private static final String LIST_CONSUMERS = "GET /admin/consumers";
    private static final String GET_ROUTE = "GET /admin/routes/{id}";
    private static final String GET_SERVICE = "GET /admin/services/{name}";
    private static final String GET_CONSUMER = "GET /admin/consumers/{id}";

    private static TestUpstream upstream;
    private static TestGateway gateway;
    private static AdminHttp admin;

    @BeforeAll
    static void start() {
        upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("ok"));
        gateway = AdminHttp.node(TOKEN, null, """
                routes:
                  - {id: items, match: {pathPrefix: /items}, upstream: "%s"}
                """.formatted(upstream.url()));
        admin = new AdminHttp(gateway, TOKEN);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    /** One family: where it lives, the name of one item, and a body that makes a valid one. */
    enum Family {
        ROUTES("/admin/routes", "routes", "route"),
        SERVICES("/admin/services", "services", "service"),
        CONSUMERS("/admin/consumers", "consumers", "consumer");

        final String collection;
        final String list;
        final String noun;

        Family(String collection, String list, String noun) {
            this.collection = collection;
            this.list = list;
            this.noun = noun;
        }

        String item(String name) {
            return collection + "/" + name;
        }

        /** A valid item, written over lines as a person would, its last field on line 3. */
        String body() {
            return switch (this) {
                case ROUTES -> "{\n  \"match\": {\"pathPrefix\": \"/carts\"},\n  \"upstream\": \"" + upstream.url() + "\"\n}";
                case SERVICES -> "{\n  \"retryBudget\": {\"percent\": 20},\n  \"outlierDetection\": {\"consecutiveFailures\": 3}\n}";
                case CONSUMERS -> "{\n  \"apiKeys\": [\"mobile-key-0123456789abcdef\"],\n  \"scopes\": [\"items:read\"]\n}";
            };
        }

        String itemName() {
            return this == CONSUMERS ? "mobile" : "carts";
        }
    }

    private static JsonNode put(Family family) {
        return ok(admin.send("PUT", family.item(family.itemName()), admin.version(), family.body()), 200);
    }

    private static void removeIfThere(Family family) {
        if (admin.get(family.item(family.itemName())).statusCode() == 200) {
            ok(admin.send("DELETE", family.item(family.itemName()), admin.version(), null), 200);
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    @Covers(value = {PUT_ROUTE, PUT_SERVICE, PUT_CONSUMER, LIST_ROUTES, LIST_SERVICES, LIST_CONSUMERS}, statuses = 200)
    @Covers(value = {GET_ROUTE, GET_SERVICE, GET_CONSUMER,
            DELETE_ROUTE, DELETE_SERVICE, DELETE_CONSUMER}, statuses = {200, 404})
    void anItemPutIsListedAndReadUntilItIsRemovedThenItIs404(Family family) {
        removeIfThere(family);
        String before = admin.version();

        JsonNode changed = put(family);

        assertThat(changed.path("changed").asBoolean()).isTrue();
        assertThat("\"" + changed.path("version").asLong() + "\"").isNotEqualTo(before);
        HttpResponse<String> list = admin.get(family.collection);
        assertThat(list.headers().firstValue("ETag")).hasValue("\"" + changed.path("version").asLong() + "\"");
        JsonNode items = ok(list, 200).path(family.list);
        assertThat(items.findValuesAsText(family == Family.SERVICES ? "name" : "id")).contains(family.itemName());
        HttpResponse<String> read = admin.get(family.item(family.itemName()));
        assertThat(ok(read, 200).path(family == Family.SERVICES ? "name" : "id").asText()).isEqualTo(family.itemName());
        assertThat(read.headers().firstValue("ETag")).hasValue(admin.version());

        ok(admin.send("DELETE", family.item(family.itemName()), admin.version(), null), 200);

        JsonNode gone = error(admin.get(family.item(family.itemName())), 404, "not_found");
        assertThat(gone.path("message").asText()).isEqualTo("no " + family.noun + " " + family.itemName() + " in version "
                + admin.version().replace("\"", ""));
        error(admin.send("DELETE", family.item(family.itemName()), admin.version(), null), 404, "not_found");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    @Covers(value = {LIST_ROUTES, LIST_SERVICES, LIST_CONSUMERS, GET_ROUTE, GET_SERVICE, GET_CONSUMER,
            PUT_ROUTE, PUT_SERVICE, PUT_CONSUMER, DELETE_ROUTE, DELETE_SERVICE, DELETE_CONSUMER}, statuses = 401)
    void withoutTheAdminTokenEveryEndpointOfTheFamilyIs401AndChangesNothing(Family family) {
        String before = admin.version();
        String item = family.item(family.itemName());

        for (String authorization : new String[] {null, "Bearer not-the-token-0123456789", "Basic " + TOKEN}) {
            unauthorized(admin.send("GET", family.collection, authorization, null, null), AdminHttp.ADMIN_REALM);
            unauthorized(admin.send("GET", item, authorization, null, null), AdminHttp.ADMIN_REALM);
            unauthorized(admin.send("PUT", item, authorization, before, family.body()), AdminHttp.ADMIN_REALM);
            unauthorized(admin.send("DELETE", item, authorization, before, null), AdminHttp.ADMIN_REALM);
        }

        assertThat(admin.version()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    @Covers(value = {PUT_ROUTE, PUT_SERVICE, PUT_CONSUMER,
            DELETE_ROUTE, DELETE_SERVICE, DELETE_CONSUMER}, statuses = 409)
    void aChangeBasedOnAVersionThatIsNoLongerInForceIs409NamingTheCurrentOne(Family family) {
        // The item is in the stale version too, so a removal based on it finds it and conflicts.
        removeIfThere(family);
        put(family);
        String stale = admin.version();
        ok(admin.send("DELETE", family.item(family.itemName()), stale, null), 200);
        put(family);
        String current = admin.version();

        for (String method : new String[] {"PUT", "DELETE"}) {
            HttpResponse<String> response = admin.send(method, family.item(family.itemName()), stale,
                    method.equals("PUT") ? family.body() : null);

            JsonNode body = error(response, 409, "version_conflict");
            assertThat("\"" + body.path("currentVersion").asLong() + "\"").isEqualTo(current);
            assertThat(response.headers().firstValue("ETag")).hasValue(current);
            assertThat(problem(body, "If-Match").path("constraint").asText()).isEqualTo("the version in force, " + current);
        }
        assertThat(admin.version()).isEqualTo(current);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    @Covers(value = {PUT_ROUTE, PUT_SERVICE, PUT_CONSUMER,
            DELETE_ROUTE, DELETE_SERVICE, DELETE_CONSUMER}, statuses = {400, 428})
    void aChangeWithoutIfMatchIs428AndOneWithAnIfMatchThatIsNoVersionIs400(Family family) {
        String before = admin.version();

        for (String method : new String[] {"PUT", "DELETE"}) {
            String body = method.equals("PUT") ? family.body() : null;
            JsonNode missing = error(admin.send(method, family.item(family.itemName()), null, body), 428, "precondition_required");
            JsonNode garbled = error(admin.send(method, family.item(family.itemName()), "latest", body), 400, "invalid_request");

            assertThat(problem(missing, "If-Match").path("message").asText()).startsWith("If-Match: missing (expected: ");
            assertThat(problem(garbled, "If-Match").path("constraint").asText())
                    .isEqualTo("a configuration version such as \"3\", the ETag of GET /admin/config");
            assertThat(garbled.path("message").asText()).startsWith("If-Match: latest (expected: ");
        }
        assertThat(admin.version()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    @Covers(value = {PUT_ROUTE, PUT_SERVICE, PUT_CONSUMER}, statuses = 400)
    void aBodyThatIsNotOneJsonObjectIs400NamingTheBody(Family family) {
        String before = admin.version();

        JsonNode notJson = error(admin.send("PUT", family.item(family.itemName()), before, "match: {pathPrefix: /x}"), 400,
                "invalid_request");
        JsonNode array = error(admin.send("PUT", family.item(family.itemName()), before, "[1, 2]"), 400, "invalid_request");
        JsonNode empty = error(admin.send("PUT", family.item(family.itemName()), before, ""), 400, "invalid_request");

        assertThat(notJson.path("message").asText()).startsWith("the body is not JSON: ");
        assertThat(problem(notJson, "").path("constraint").asText()).isEqualTo("a JSON object: the " + family.noun);
        assertThat(problem(array, "").path("message").asText()).isEqualTo(": array (expected: a JSON object: the "
                + family.noun + ")");
        assertThat(problem(empty, "").path("message").asText()).startsWith(": empty body (expected: ");
        assertThat(admin.version()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    @Covers(value = {PUT_ROUTE, PUT_SERVICE, PUT_CONSUMER}, statuses = 400)
    void anInvalidItemIs400AtTheLineAndFieldOfTheBodySentNotOfTheWholeDocument(Family family) {
        String before = admin.version();
        String body = family.body().replaceFirst("\n", "\n  \"colour\": \"blue\",\n");

        JsonNode reply = error(admin.send("PUT", family.item(family.itemName()), before, body), 400, "invalid_config");

        JsonNode colour = problem(reply, "/colour");
        assertThat(colour.path("line").asInt()).as("the second line of the body").isEqualTo(2);
        assertThat(colour.path("column").asInt()).isEqualTo(3);
        assertThat(colour.path("path").asText()).startsWith(family == Family.CONSUMERS ? "/auth/consumers/" : "/" + family.list + "/")
                .endsWith("/colour");
        assertThat(colour.path("constraint").asText()).startsWith("one of ");
        assertThat(colour.path("text").asText()).isEqualTo("request body:2:3 /colour: " + colour.path("message").asText());
        assertThat(admin.version()).isEqualTo(before);
    }

    @Test
    @Covers(value = PUT_ROUTE, statuses = 400)
    void aBadValueInATwoLineRouteIsReportedOnTheSecondLineUnderItsPointerInTheRoute() {
        String body = "{\"match\": {\"pathPrefix\": \"/carts\"},\n \"upstream\": \"ftp://nowhere\"}";

        JsonNode reply = error(admin.send("PUT", "/admin/routes/carts", admin.version(), body), 400, "invalid_config");

        JsonNode upstream = problem(reply, "/upstream");
        assertThat(upstream.path("line").asInt()).isEqualTo(2);
        assertThat(upstream.path("column").asInt()).as("where the value starts, as the file's errors place it").isEqualTo(14);
        assertThat(upstream.path("path").asText()).isEqualTo("/routes/1/upstream");
        assertThat(reply.path("message").asText()).isEqualTo(upstream.path("text").asText())
                .startsWith("request body:2:14 /upstream: \"ftp://nowhere\" (expected: ");
    }

    @Test
    @Covers(value = {PUT_ROUTE, PUT_CONSUMER}, statuses = 400)
    void anIdInTheBodyOtherThanThePathsIs400NamingIt() {
        for (String path : new String[] {"/admin/routes/carts", "/admin/consumers/mobile"}) {
            JsonNode reply = error(admin.send("PUT", path, admin.version(), "{\"id\": \"other\"}"), 400, "invalid_request");

            JsonNode id = problem(reply, "/id");
            assertThat(id.path("constraint").asText()).endsWith(", the id in the path, or no id");
            assertThat(reply.path("message").asText()).isEqualTo(id.path("message").asText()).startsWith("/id: \"other\"");
        }
    }
}
