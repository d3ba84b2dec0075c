package io.gridgate.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.cluster.testing.MutableClock;
import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A node that sees fewer members than the cluster should have reports not ready, after the grace period. */
class ClusterSizeTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final AtomicInteger members = new AtomicInteger(3);

    @Test
    void fewerMembersThanExpectedIsNotReadyOnlyOnceTheGracePeriodIsOver() {
        ClusterSize size = new ClusterSize(3, Duration.ofSeconds(30), members::get, clock);
        assertThat(size.ready()).isTrue();

        members.set(2);
        assertThat(size.ready()).as("a member may be restarting").isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(size.ready()).as("at the end of the grace period").isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(size.ready()).isFalse();
        assertThat(size.belowExpected()).isTrue();

        members.set(3);
        assertThat(size.ready()).isTrue();
        members.set(2);
        assertThat(size.ready()).as("the grace period starts again").isTrue();
    }

    @Test
    void withoutAnExpectedSizeNothingIsChecked() {
        ClusterSize size = new ClusterSize(0, Duration.ZERO, members::get, clock);
        members.set(1);
        clock.advance(Duration.ofDays(1));

        assertThat(size.ready()).isTrue();
    }

    @Test
    void aNodeAloneInAClusterExpectedToHaveTwoMembersIsNotReadyAndSaysWhy() throws Exception {
        try (TestGateway gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                cluster: {expectedMembers: 2, expectedMembersGrace: 1ms}
                accessLog: {enabled: false}
                routes: []
                """)) {
            HttpClient client = HttpClient.newHttpClient();
            // With a grace period of 1 ms the node is not ready from the first probe a millisecond after
            // the one that found it short.
            HttpResponse<String> ready = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> client.send(HttpRequest.newBuilder(gateway.adminUri("/health/ready")).build(),
                            HttpResponse.BodyHandlers.ofString()), response -> response.statusCode() != 200);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(new ObjectMapper().readTree(ready.body()).at("/checks/clusterSize").asBoolean(true)).isFalse();
            String metrics = client.send(HttpRequest.newBuilder(gateway.adminUri("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("gridgate_cluster_expected_members 2.0")
                    .contains("gridgate_cluster_below_expected 1.0")
                    .contains("gridgate_config_version 1.0");
        }
    }
}
