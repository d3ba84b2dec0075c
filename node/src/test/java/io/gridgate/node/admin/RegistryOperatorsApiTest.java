package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static io.gridgate.node.admin.AdminHttp.error;
import static io.gridgate.node.admin.AdminHttp.ok;
import static io.gridgate.node.admin.AdminHttp.problem;
import static io.gridgate.node.admin.AdminHttp.unauthorized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service registry over real HTTP on one node: services register, read and leave with the
 * registration token; operators read it and remove an instance with the admin token, and neither
 * token opens the other's endpoints.
 */
class RegistryOperatorsApiTest {

    private static final String ADMIN_TOKEN = "registry-admin-token-0123456789";
    private static final String REGISTRATION_TOKEN = "registry-registration-token-0123";
    private static final String REGISTRY_REALM = "Bearer realm=\"gridgate-registry\"";
    private static final String INSTANCE = "/registry/services/orders/instances/o-1";
    private static final String REGISTRATION = "{\"host\": \"10.0.0.7\", \"port\": 9000, \"weight\": 3, \"zone\": \"eu-1a\"}";

    private static TestGateway gateway;
    private static AdminHttp admin;
    private static AdminHttp service;

    @BeforeAll
    static void start() {
        gateway = AdminHttp.node(ADMIN_TOKEN, REGISTRATION_TOKEN, "routes: []\n");
        admin = new AdminHttp(gateway, ADMIN_TOKEN);
        service = new AdminHttp(gateway, REGISTRATION_TOKEN);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** One instance, registered afresh and in rotation: an ejection outlives its instance's registration. */
    @BeforeEach
    void registerOneInstance() {
        service.send("DELETE", INSTANCE, null, null);
        gateway.node().grid().registry().readmit("orders", "o-1").toCompletableFuture().join();
        await().until(() -> gateway.node().grid().registry().ejectedUntil("orders", "o-1") == null);
        ok(service.send("PUT", INSTANCE, null, REGISTRATION), 201);
    }

    @Test
    @Covers(value = "PUT /registry/services/{service}/instances/{instance}", statuses = {200, 201})
    @Covers(value = {"GET /registry/services", "GET /registry/services/{service}"}, statuses = 200)
    @Covers(value = "DELETE /registry/services/{service}/instances/{instance}", statuses = 204)
    void aServiceRegistersRenewsReadsAndLeavesWithTheRegistrationToken() {
        JsonNode renewed = ok(service.send("PUT", INSTANCE, null, REGISTRATION), 200);
        JsonNode all = ok(service.get("/registry/services"), 200);
        JsonNode orders = ok(service.get("/registry/services/orders"), 200);

        assertThat(renewed.path("outcome").asText()).isEqualTo("renewed");
        assertThat(all.at("/services/orders/0/id").asText()).isEqualTo("o-1");
        assertThat(orders.at("/instances/0/state").asText()).isEqualTo("healthy");

        ok(service.send("DELETE", INSTANCE, null, null), 204);

        assertThat(gateway.node().grid().registry().instances("orders")).isEmpty();
    }

    @Test
    @Covers(value = {"GET /admin/registry/services", "GET /admin/registry/services/{service}"}, statuses = 200)
    void anOperatorSeesEachInstanceWithItsHealthWeightZoneAndLastHeartbeat() {
        JsonNode all = ok(admin.get("/admin/registry/services"), 200);
        JsonNode orders = ok(admin.get("/admin/registry/services/orders"), 200);

        JsonNode instance = orders.at("/instances/0");
        assertThat(orders.path("service").asText()).isEqualTo("orders");
        assertThat(instance.path("id").asText()).isEqualTo("o-1");
        assertThat(instance.path("host").asText()).isEqualTo("10.0.0.7");
        assertThat(instance.path("port").asInt()).isEqualTo(9000);
        assertThat(instance.path("weight").asInt()).isEqualTo(3);
        assertThat(instance.path("zone").asText()).isEqualTo("eu-1a");
        assertThat(instance.path("state").asText()).isEqualTo("healthy");
        assertThat(Instant.parse(instance.path("lastHeartbeat").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(all.at("/services/orders")).isEqualTo(orders.path("instances"));
    }

    @Test
    @Covers(value = "GET /admin/registry/services/{service}", statuses = 200)
    void anEjectedInstanceReadsAsEjectedUntilItsEjectionEnds() {
        Instant until = Instant.now().plus(1, ChronoUnit.HOURS);
        gateway.node().grid().registry().eject("orders", "o-1", until, "test").toCompletableFuture().join();
        await().until(() -> gateway.node().grid().registry().ejectedUntil("orders", "o-1") != null);

        JsonNode instance = ok(admin.get("/admin/registry/services/orders"), 200).at("/instances/0");

        assertThat(instance.path("state").asText()).isEqualTo("ejected");
        assertThat(Instant.parse(instance.path("ejectedUntil").asText())).isAfter(Instant.now());
    }

    @Test
    @Covers(value = "DELETE /admin/registry/services/{service}/instances/{instance}", statuses = {204, 404})
    @Covers(value = "GET /admin/registry/services/{service}", statuses = 404)
    void anOperatorRemovesAnInstanceAtOnceAndThenItIsUnknown() {
        ok(admin.send("DELETE", "/admin" + INSTANCE, null, null), 204);

        assertThat(gateway.node().grid().registry().instances("orders")).isEmpty();
        JsonNode again = error(admin.send("DELETE", "/admin" + INSTANCE, null, null), 404, "instance_not_found");
        JsonNode service = error(admin.get("/admin/registry/services/orders"), 404, "service_not_found");
        assertThat(again.path("message").asText()).isEqualTo("no instance o-1 of service orders");
        assertThat(service.path("message").asText()).isEqualTo("no instance of service orders is registered");
    }

    @Test
    @Covers(value = "DELETE /admin/registry/services/{service}/instances/{instance}", statuses = 400)
    @Covers(value = "DELETE /registry/services/{service}/instances/{instance}", statuses = 400)
    void aRemovalNamingNoValidServiceOrInstanceIs400NamingTheParameter() {
        for (AdminHttp client : new AdminHttp[] {admin, service}) {
            String prefix = client == admin ? "/admin" : "";

            JsonNode badService = error(client.send("DELETE", prefix + "/registry/services/Orders/instances/o-1", null, null),
                    400, "invalid_registration");
            JsonNode badInstance = error(client.send("DELETE", prefix + "/registry/services/orders/instances/-o", null, null),
                    400, "invalid_registration");

            assertThat(problem(badService, "service").path("message").asText()).startsWith("service: \"Orders\" (expected: ");
            assertThat(problem(badInstance, "instance").path("constraint").asText()).startsWith("an id matching ");
        }
        assertThat(gateway.node().grid().registry().instances("orders")).hasSize(1);
    }

    @Test
    @Covers(value = {"GET /admin/registry/services", "GET /admin/registry/services/{service}",
            "DELETE /admin/registry/services/{service}/instances/{instance}"}, statuses = 401)
    void theOperatorEndpointsTakeTheAdminTokenNotTheRegistrationToken() {
        for (String authorization : new String[] {null, "Bearer " + REGISTRATION_TOKEN, "Bearer wrong-token-0123456789"}) {
            unauthorized(admin.send("GET", "/admin/registry/services", authorization, null, null), AdminHttp.ADMIN_REALM);
            unauthorized(admin.send("GET", "/admin/registry/services/orders", authorization, null, null), AdminHttp.ADMIN_REALM);
            unauthorized(admin.send("DELETE", "/admin" + INSTANCE, authorization, null, null), AdminHttp.ADMIN_REALM);
        }
        assertThat(gateway.node().grid().registry().instances("orders")).hasSize(1);
    }

    @Test
    void theHeartbeatEndpointsStillRefuseTheAdminToken() {
        unauthorized(admin.send("DELETE", INSTANCE, null, null), REGISTRY_REALM);
        unauthorized(admin.get("/registry/services"), REGISTRY_REALM);

        assertThat(gateway.node().grid().registry().instances("orders")).hasSize(1);
    }

    @Test
    void withoutAnAdminTokenConfiguredTheOperatorEndpointsAreOffButHeartbeatsWork() {
        try (TestGateway off = AdminHttp.node(null, REGISTRATION_TOKEN, "routes: []\n")) {
            AdminHttp offAdmin = new AdminHttp(off, ADMIN_TOKEN);

            error(offAdmin.get("/admin/registry/services"), 403, "admin_api_disabled");
            error(offAdmin.send("DELETE", "/admin" + INSTANCE, null, null), 403, "admin_api_disabled");
            ok(new AdminHttp(off, REGISTRATION_TOKEN).get("/registry/services"), 200);
        }
    }
}
