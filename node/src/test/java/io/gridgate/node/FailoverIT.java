package io.gridgate.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.testing.ClusterProcesses;
import io.gridgate.node.testing.NodeProcess;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes as separate JVMs behind a stand-in for an L4 balancer, with a registered upstream and a
 * cluster-wide rate limit, under a constant load; one node is killed with SIGKILL mid-run. What the
 * README reports comes from here: requests lost, time until the members agree, and whether the
 * registry and the counters survived.
 */
class FailoverIT {

    private static final Logger LOG = Logger.getLogger(FailoverIT.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE = 150;
    private static final Duration LOAD = Duration.ofSeconds(16);
    private static final Duration KILL_AT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private ClusterProcesses cluster;

    @AfterEach
    void kill() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void killingOneOfThreeNodesMidRunLosesAtMostItsRequestsInFlightAndNoState() throws Exception {
        try (TestUpstream upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("pong"))) {
            cluster = ClusterProcesses.start(dir, upstream.port());
            List<NodeProcess> nodes = cluster.nodes();
            NodeProcess victim = nodes.get(2);
            ClusterProcesses.Balancer balancer = cluster.balancer();
            ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
            List<CompletableFuture<Void>> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
            long intervalMicros = 1_000_000L / RATE;
            long total = LOAD.toMillis() * RATE / 1000;
            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger scheduled = new AtomicInteger();
            clock.scheduleAtFixedRate(() -> {
                if (scheduled.incrementAndGet() > total) {
                    done.countDown();
                    return;
                }
                sent.add(balancer.send(1));
            }, 0, intervalMicros, TimeUnit.MICROSECONDS);

            // The moment comes from the load's own clock: once it has sent KILL_AT's worth of requests.
            long due = KILL_AT.toMillis() * RATE / 1000;
            await().atMost(KILL_AT.plusSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> scheduled.get() >= due);
            long before = cluster.remaining(nodes.get(0));
            int inFlightAtKill = balancer.inFlight.getOrDefault(2, new AtomicInteger()).get();
            victim.process().destroyForcibly(); // SIGKILL
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
                for (NodeProcess survivor : nodes.subList(0, 2)) {
                    JsonNode view = JSON.readTree(cluster.get(survivor.admin("/admin/cluster"), ClusterProcesses.ADMIN).body());
                    assertThat(view.path("members")).hasSize(2);
                }
            });
            double settled = (System.nanoTime() - killed) / 1e9;

            assertThat(done.await(LOAD.toSeconds() + 30, TimeUnit.SECONDS)).isTrue();
            clock.shutdown();
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            long after = cluster.remaining(nodes.get(1));

            int failed = balancer.failed.get();
            long sentTotal = balancer.ok.get() + failed;
            String figures = ("%d requests at %d/s through 3 nodes, node 3 killed (SIGKILL) at %ds: %d ok, %d failed %s,"
                    + " %d in flight on it at the kill, %d sent again after a refused connection; members agreed"
                    + " after %.1f s; rate-limit remaining %d before the kill, %d at the end")
                    .formatted(sentTotal, RATE, KILL_AT.toSeconds(), balancer.ok.get(), failed, balancer.failures,
                            inFlightAtKill, balancer.redispatched.get(), settled, before, after);
            LOG.info(figures);
            System.out.println("FAILOVER " + figures);

            assertThat(failed).as(figures).isLessThanOrEqualTo(inFlightAtKill + (int) Math.ceil(sentTotal * 0.005));
            assertThat(after).as("the counter kept counting on the survivors, from where it was").isLessThan(before)
                    .isGreaterThanOrEqualTo(0);
            for (NodeProcess survivor : nodes.subList(0, 2)) {
                JsonNode instances = JSON.readTree(cluster.get(survivor.admin("/registry/services/backend"), ClusterProcesses.REGISTRATION).body());
                assertThat(instances.toString()).as("the registry survived on %s", survivor.adminPort()).contains("b-1");
                assertThat(cluster.get(survivor.traffic("/api/ping"), null).statusCode()).isEqualTo(200);
            }
        }
    }
}
