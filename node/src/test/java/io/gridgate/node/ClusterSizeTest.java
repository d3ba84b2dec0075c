package io.gridgate.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.cluster.testing.MutableClock;
import io.gridgate.node.testing.CapturedLog;
import io.gridgate.node.testing.TestCluster;
import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A node that sees fewer members than the cluster should have reports not ready, after the grace period. */
class ClusterSizeTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final AtomicInteger members = new AtomicInteger(3);
    private final List<Scheduled> timers = new ArrayList<>();

    private record Scheduled(Duration delay, Runnable task) {
    }

    private ClusterSize size(int expected, Duration grace) {
        return new ClusterSize(expected, grace, members::get, clock, (delay, task) -> timers.add(new Scheduled(delay, task)));
    }

    /** Runs the timers that are due, as the node's scheduler would once their delay is over. */
    private void runTimers() {
        List<Scheduled> due = List.copyOf(timers);
        timers.clear();
        due.forEach(scheduled -> scheduled.task().run());
    }

    @Test
    void fewerMembersThanExpectedIsNotReadyOnlyOnceTheGracePeriodIsOver() {
        ClusterSize size = size(3, Duration.ofSeconds(30));
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
    void theGracePeriodRunsFromTheLossOfTheMemberNotFromTheFirstProbe() {
        ClusterSize size = size(3, Duration.ofSeconds(30));
        size.membershipChanged();

        members.set(2);
        size.membershipChanged();
        clock.advance(Duration.ofSeconds(31));

        assertThat(size.ready()).as("the first probe, 31 s after the loss").isFalse();
    }

    @Test
    void theEndOfTheGracePeriodIsLoggedWithoutAnyProbeOrScrape() {
        ClusterSize size = size(3, Duration.ofSeconds(30));
        try (CapturedLog log = CapturedLog.of(ClusterSize.class)) {
            size.membershipChanged();
            assertThat(timers).as("nothing to watch with every member there").isEmpty();

            members.set(2);
            size.membershipChanged();
            size.membershipChanged(); // another member's event: still one timer
            assertThat(timers).extracting(Scheduled::delay).containsExactly(Duration.ofMillis(30_001));
            assertThat(log.lines()).isEmpty();

            clock.advance(Duration.ofMillis(30_001));
            runTimers();
            assertThat(log.lines()).singleElement().satisfies(line -> {
                assertThat(line.level()).isEqualTo(Level.WARNING);
                assertThat(line.message()).startsWith("this node sees 2 cluster members, fewer than the 3 expected,"
                        + " for more than 30000 ms: reporting not ready");
            });

            members.set(3);
            size.membershipChanged();
            assertThat(log.lines()).last().satisfies(line -> {
                assertThat(line.level()).isEqualTo(Level.INFO);
                assertThat(line.message()).isEqualTo("the cluster has 3 members again (expected 3)");
            });
        }
    }

    @Test
    void aMemberBackAndLostAgainWithinTheGracePeriodStartsItAgain() {
        ClusterSize size = size(3, Duration.ofSeconds(30));
        members.set(2);
        size.membershipChanged();
        clock.advance(Duration.ofSeconds(20));
        members.set(3);
        size.membershipChanged();
        members.set(2);
        size.membershipChanged();

        clock.advance(Duration.ofSeconds(10).plusMillis(1));
        runTimers();
        assertThat(size.ready()).as("20 s of the new grace period are left").isTrue();
        assertThat(timers).extracting(Scheduled::delay).containsExactly(Duration.ofSeconds(20));

        clock.advance(Duration.ofSeconds(20));
        runTimers();
        assertThat(size.ready()).isFalse();
    }

    @Test
    void withoutAnExpectedSizeNothingIsChecked() {
        ClusterSize size = size(0, Duration.ZERO);
        members.set(1);
        size.membershipChanged();
        clock.advance(Duration.ofDays(1));

        assertThat(size.ready()).isTrue();
        assertThat(timers).isEmpty();
    }

    private static String expectingTwoMembers(String grace) {
        return """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                cluster: {expectedMembers: 2, expectedMembersGrace: %s}
                accessLog: {enabled: false}
                routes: []
                """.formatted(grace);
    }

    @Test
    void aNodeThatLosesAMemberLogsItOnceTheGracePeriodIsOverThoughNobodyAsks() {
        try (TestCluster cluster = TestCluster.start(2, expectingTwoMembers("300ms")); CapturedLog log = CapturedLog.of(ClusterSize.class)) {
            long lost = System.nanoTime();
            cluster.node(1).drainAndStop();

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
                    assertThat(log.lines()).anySatisfy(line -> assertThat(line.message())
                            .startsWith("this node sees 1 cluster members, fewer than the 2 expected")));
            assertThat(Duration.ofNanos(System.nanoTime() - lost)).as("not before the grace period")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void aNodeAloneInAClusterExpectedToHaveTwoMembersIsNotReadyAndSaysWhy() throws Exception {
        try (CapturedLog log = CapturedLog.of(ClusterSize.class);
             TestGateway gateway = TestGateway.start(expectingTwoMembers("1ms"))) {
            HttpClient client = HttpClient.newHttpClient();
            // The grace period began when the node started alone and its end is checked on a timer, so
            // the node says so with no probe or scrape to start the clock, and the first probe finds it
            // not ready already.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).untilAsserted(() ->
                    assertThat(log.lines()).anySatisfy(line -> {
                        assertThat(line.level()).isEqualTo(Level.WARNING);
                        assertThat(line.message()).startsWith("this node sees 1 cluster members, fewer than the 2 expected");
                    }));
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(gateway.adminUri("/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
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
