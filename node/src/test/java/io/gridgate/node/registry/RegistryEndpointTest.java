package io.gridgate.node.registry;

import io.gridgate.node.testing.TestCluster;
import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The heartbeat API on the admin port: status codes, validation and authentication. */
class RegistryEndpointTest {

    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = TestCluster.withRoutes(1, """
                - {id: orders, match: {pathPrefix: /orders}, upstream: "service:orders"}
                """);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void theFirstHeartbeatCreatesLaterOnesRenewAndDeleteRemoves() {
        String body = "{\"host\":\"10.0.0.7\",\"port\":9000,\"weight\":2,\"zone\":\"eu-1a\",\"metadata\":{\"v\":\"1.4\"},\"ttlSeconds\":20}";

        HttpResponse<String> created = cluster.register(0, "orders", "o-1", body);
        HttpResponse<String> renewed = cluster.register(0, "orders", "o-1", body);
        HttpResponse<String> listed = cluster.get0("/registry/services/orders");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"outcome\":\"created\"");
        assertThat(renewed.statusCode()).isEqualTo(200);
        assertThat(renewed.body()).contains("\"outcome\":\"renewed\"");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"id\":\"o-1\"", "\"host\":\"10.0.0.7\"", "\"port\":9000", "\"weight\":2",
                "\"zone\":\"eu-1a\"", "\"metadata\":{\"v\":\"1.4\"}", "\"ttlSeconds\":20", "\"live\":true",
                "\"lastHeartbeat\":", "\"ageSeconds\":");
        assertThat(cluster.deregister(0, "orders", "o-1").statusCode()).isEqualTo(204);
        assertThat(cluster.deregister(0, "orders", "o-1").statusCode()).isEqualTo(404);
        assertThat(cluster.get0("/registry/services/orders").statusCode()).isEqualTo(404);
    }

    @Test
    void aBadBodyIsRefusedWithEveryProblemAndNothingIsStored() {
        HttpResponse<String> response = cluster.register(0, "payments", "p-1",
                "{\"port\":70000,\"scheme\":\"ftp\",\"ttlSeconds\":0,\"weight\":\"heavy\",\"colour\":\"blue\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"invalid_registration\"",
                "/colour: unknown field",
                "/host: missing (expected: a host name or IP address)",
                "/port: 70000 (expected: an integer from 1 to 65535)",
                "/scheme: \\\"ftp\\\" (expected: http or https)",
                "/weight: \\\"heavy\\\" (expected: an integer from 1 to 100)",
                "/ttlSeconds: 0 (expected: an integer from 1 to 3600)");
        assertThat(cluster.node(0).grid().registry().instances("payments")).isEmpty();
    }

    @Test
    void aTtlOverAnHourOrOversizedMetadataOrANonJsonBodyIsRefused() {
        StringBuilder metadata = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            metadata.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        assertThat(cluster.register(0, "payments", "p-2", "{\"host\":\"h\",\"port\":1,\"ttlSeconds\":3601}").body())
                .contains("/ttlSeconds: 3601 (expected: an integer from 1 to 3600)");
        assertThat(cluster.register(0, "payments", "p-2", "{\"host\":\"h\",\"port\":1,\"metadata\":" + metadata + "}}").body())
                .contains("/metadata: 40 entries (expected: at most 32)");
        HttpResponse<String> notJson = cluster.register(0, "payments", "p-2", "host=h");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("the body is not JSON");
        HttpResponse<String> badName = cluster.register(0, "Bad_Name", "p-2", "{}");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("service: \\\"Bad_Name\\\" (expected: a name matching");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String huge = "{\"host\":\"h\",\"port\":1,\"metadata\":{\"k\":\"" + "x".repeat(20_000) + "\"}}";

        assertThat(cluster.register(0, "payments", "p-3", huge).statusCode()).isEqualTo(413);
    }

    @Test
    void everyCallNeedsTheRegistrationToken() {
        HttpResponse<String> anonymous = cluster.send(HttpRequest.newBuilder(
                cluster.adminUri(0, "/registry/services/orders/instances/o-9"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"host\":\"h\",\"port\":1}")).build());
        HttpResponse<String> wrong = cluster.send(HttpRequest.newBuilder(cluster.adminUri(0, "/registry/services"))
                .header("Authorization", "Bearer not-the-token-at-all").build());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(cluster.node(0).grid().registry().instances("orders")).noneMatch(s -> s.instance().id().equals("o-9"));
    }

    @Test
    void withoutATokenConfiguredRegistrationIsOff() {
        try (TestGateway gateway = TestGateway.withRoutes("[]")) {
            HttpResponse<String> response = cluster.send(HttpRequest.newBuilder(
                    gateway.adminUri("/registry/services/orders/instances/o-1"))
                    .header("Authorization", "Bearer anything-at-all-here")
                    .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("\"error\":\"registration_disabled\"");
        }
    }
}
