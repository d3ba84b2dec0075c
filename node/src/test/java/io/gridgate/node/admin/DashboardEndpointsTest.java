package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.testing.TestCluster;
import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /admin/overview} and the dashboard's static files, over plain HTTP. */
class DashboardEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static DashboardCluster dashboard;

    @BeforeAll
    static void start() {
        dashboard = new DashboardCluster();
        dashboard.registerSecondThroughNode1();
        dashboard.ejectSecondThroughNode1();
    }

    @AfterAll
    static void stop() {
        dashboard.close();
    }

    @Test
    @Covers(value = "GET /admin/overview", statuses = 401)
    void theOverviewNeedsTheAdminTokenNotTheRegistrationToken() {
        for (String token : new String[] {null, TestCluster.TOKEN, "not-the-admin-token-at-all"}) {
            HttpResponse<String> response = dashboard.admin("/admin/overview", token);

            assertThat(response.statusCode()).as("token %s", token).isEqualTo(401);
            assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"gridgate-admin\"");
            assertThat(response.body()).contains("\"error\":\"unauthorized\"").doesNotContain("orders-1");
        }
    }

    @Test
    @Covers(value = "GET /admin/overview", statuses = 200)
    void theOverviewShowsMembersRoutesInstancesBreakersAndRequestCounts() throws Exception {
        assertThat(dashboard.cluster().get(0, "/orders/1").statusCode()).isEqualTo(200);
        await().until(() -> requestCount(overview(), "orders") >= 1);

        JsonNode overview = overview();

        assertThat(Instant.parse(overview.get("time").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(overview.at("/node/memberId").asText()).isEqualTo(dashboard.memberId(0));
        assertThat(values(overview.get("members"), "id")).containsExactlyInAnyOrder(dashboard.memberId(0), dashboard.memberId(1));
        for (JsonNode member : overview.get("members")) {
            assertThat(member.get("local").asBoolean()).isEqualTo(member.get("id").asText().equals(dashboard.memberId(0)));
            assertThat(member.get("address").asText()).matches(".+:\\d+");
        }
        JsonNode route = overview.at("/routes/0");
        assertThat(route.get("id").asText()).isEqualTo("orders");
        assertThat(route.get("methods").toString()).isEqualTo("[\"GET\"]");
        assertThat(route.get("pathPrefix").asText()).isEqualTo("/orders");
        assertThat(route.get("upstream").asText()).isEqualTo("service:orders");
        assertThat(route.get("services").toString()).isEqualTo("[\"orders\"]");
        JsonNode service = overview.at("/services/0");
        assertThat(service.get("name").asText()).isEqualTo("orders");
        assertThat(values(service.get("instances"), "id")).containsExactly("orders-1", "orders-2");
        JsonNode healthy = service.at("/instances/0");
        assertThat(healthy.get("state").asText()).isEqualTo("healthy");
        assertThat(healthy.get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(healthy.has("ejectedUntil")).isFalse();
        JsonNode ejected = service.at("/instances/1");
        assertThat(ejected.get("state").asText()).isEqualTo("ejected");
        assertThat(ejected.get("zone").asText()).isEqualTo("eu-1b");
        assertThat(Instant.parse(ejected.get("ejectedUntil").asText())).isAfter(Instant.now());
        assertThat(ejected.get("port").asInt()).isEqualTo(9000);
        assertThat(overview.get("breakers").toString()).contains("{\"name\":\"orders\",\"state\":\"CLOSED\"");
    }

    @Test
    void theOverviewCountsRequestsByRouteAndThoseNoRouteMatched() throws Exception {
        long before = requestCount(overview(), "orders");
        dashboard.cluster().get(0, "/orders/2");
        dashboard.cluster().get(0, "/nowhere");

        await().until(() -> requestCount(overview(), "orders") == before + 1);
        await().until(() -> requestCount(overview(), "none") >= 1);
    }

    @Test
    void withoutAnAdminTokenConfiguredTheOverviewIsOff() {
        try (TestGateway gateway = TestGateway.withRoutes("[]")) {
            HttpResponse<String> response = dashboard.cluster().send(HttpRequest.newBuilder(
                    gateway.adminUri("/admin/overview")).header("Authorization", "Bearer anything-at-all-here").build());

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("\"error\":\"admin_api_disabled\"");
        }
    }

    @Test
    @Covers(value = "GET /dashboard", statuses = 200)
    void thePageNeedsNoTokenAndCarriesItsTypeNoCacheAndAStrictPolicy() {
        HttpResponse<String> page = dashboard.admin("/dashboard", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertStaticHeaders(page, "text/html; charset=utf-8");
        assertThat(page.body()).contains("<script src=\"/dashboard/dashboard.js\" defer></script>",
                "href=\"/dashboard/dashboard.css\"", "id=\"error\"");
        assertThat(page.body()).doesNotContain(DashboardCluster.ADMIN_TOKEN, "style=", "onclick", "onload");
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(page.body());
        while (scripts.find()) {
            assertThat(scripts.group(1)).as("a script tag loads a file, never inline code").contains("src=");
        }
    }

    @Test
    @Covers(value = "GET /dashboard/{asset}", statuses = 200)
    void theScriptAndStyleSheetAreServedWithTheirTypes() {
        HttpResponse<String> script = dashboard.admin("/dashboard/dashboard.js", null);
        HttpResponse<String> style = dashboard.admin("/dashboard/dashboard.css", null);

        assertThat(script.statusCode()).isEqualTo(200);
        assertStaticHeaders(script, "text/javascript; charset=utf-8");
        assertThat(script.body()).contains("/admin/overview", "Authorization");
        assertThat(style.statusCode()).isEqualTo(200);
        assertStaticHeaders(style, "text/css; charset=utf-8");
    }

    @Test
    @Covers(value = "GET /dashboard/{asset}", statuses = 404)
    void anyOtherNameUnderTheDashboardIs404() {
        for (String path : List.of("/dashboard/secret.txt", "/dashboard/..%2Fpom.xml", "/dashboard/dashboard.js.map")) {
            HttpResponse<String> response = dashboard.admin(path, null);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).contains("\"error\":\"no_route\"");
        }
    }

    private static void assertStaticHeaders(HttpResponse<String> response, String contentType) {
        var headers = response.headers();
        assertThat(headers.firstValue("content-type")).hasValue(contentType);
        assertThat(headers.firstValue("cache-control")).hasValue("no-cache");
        assertThat(headers.firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(headers.firstValue("content-security-policy")).hasValueSatisfying(policy -> assertThat(policy)
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval"));
    }

    private static JsonNode overview() throws Exception {
        HttpResponse<String> response = dashboard.admin("/admin/overview", DashboardCluster.ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
        return JSON.readTree(response.body());
    }

    private static long requestCount(JsonNode overview, String route) {
        for (JsonNode entry : overview.get("requests")) {
            if (entry.get("route").asText().equals(route)) {
                return entry.get("count").asLong();
            }
        }
        return 0;
    }

    private static List<String> values(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.get(field).asText()));
        return values;
    }
}
