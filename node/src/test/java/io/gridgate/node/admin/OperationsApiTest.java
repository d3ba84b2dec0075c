package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;

import static io.gridgate.node.admin.AdminHttp.error;
import static io.gridgate.node.admin.AdminHttp.ok;
import static io.gridgate.node.admin.AdminHttp.problem;
import static io.gridgate.node.admin.AdminHttp.unauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probes, the metrics and the circuit-breaker commands over real HTTP on one node, with every
 * error each answers. What the breakers do across a cluster is BreakerAdminTest's.
 */
class OperationsApiTest {

    private static final String TOKEN = "operations-admin-token-0123456789";

    private static TestGateway gateway;
    private static AdminHttp admin;

    @BeforeAll
    static void start() {
        gateway = AdminHttp.node(TOKEN, null, "routes: []\n");
        admin = new AdminHttp(gateway, TOKEN);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    @Covers(value = {"GET /health/live", "GET /health/ready", "GET /metrics"}, statuses = 200)
    void theProbesAndTheMetricsAnswerWithoutAToken() {
        HttpResponse<String> live = admin.send("GET", "/health/live", null, null, null);
        HttpResponse<String> ready = admin.send("GET", "/health/ready", null, null, null);
        HttpResponse<String> metrics = admin.send("GET", "/metrics", null, null, null);

        assertThat(ok(live, 200).path("status").asText()).isEqualTo("UP");
        assertThat(ok(ready, 200).path("status").asText()).isEqualTo("UP");
        assertThat(ready.body()).as("the checks the README and openapi.json list, and only those").isEqualTo(
                "{\"status\":\"UP\",\"checks\":{\"started\":true,\"gridJoined\":true,\"clusterSize\":true,"
                        + "\"notDraining\":true}}");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("gridgate_");
    }

    @Test
    @Covers(value = "GET /admin/breakers", statuses = {200, 401})
    @Covers(value = {"POST /admin/breakers/{name}/open", "POST /admin/breakers/{name}/close"}, statuses = {200, 401})
    void anOperatorForcesABreakerOpenAndClosedWithTheTokenAndOnlyWithIt() {
        for (String command : new String[] {"open", "close"}) {
            unauthorized(admin.send("POST", "/admin/breakers/orders/" + command, null, null, null), AdminHttp.ADMIN_REALM);
        }
        unauthorized(admin.send("GET", "/admin/breakers", "Bearer wrong-token-0123456789", null, null), AdminHttp.ADMIN_REALM);

        JsonNode opened = ok(admin.send("POST", "/admin/breakers/orders/open", null, null), 200);
        JsonNode closed = ok(admin.send("POST", "/admin/breakers/orders/close", null, null), 200);
        JsonNode list = ok(admin.get("/admin/breakers"), 200);

        assertThat(opened.path("state").asText()).isEqualTo("FORCED_OPEN");
        assertThat(closed.path("state").asText()).isEqualTo("CLOSED");
        assertThat(list.path("member").asText()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"open", "close"})
    @Covers(value = {"POST /admin/breakers/{name}/open", "POST /admin/breakers/{name}/close"}, statuses = {400, 404})
    void aBadNameOrScopeIs400NamingTheParameterAndABreakerThisNodeLacksIs404(String command) {
        JsonNode name = error(admin.send("POST", "/admin/breakers/-orders/" + command, null, null), 400, "invalid_request");
        JsonNode scope = error(admin.send("POST", "/admin/breakers/orders/" + command + "?scope=planet", null, null), 400,
                "invalid_request");
        JsonNode missing = error(admin.send("POST", "/admin/breakers/nothing/" + command + "?scope=node", null, null), 404,
                "breaker_not_found");

        assertThat(problem(name, "name").path("message").asText()).isEqualTo("name: \"-orders\" (expected: a service name or host:port)");
        assertThat(problem(scope, "scope").path("constraint").asText()).isEqualTo("cluster or node");
        assertThat(missing.path("message").asText()).isEqualTo("this node has no breaker nothing");
    }
}
