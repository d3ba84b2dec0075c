package io.gridgate.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.testing.ClusterProcesses;
import io.gridgate.node.testing.NodeProcess;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One of three node JVMs frozen with SIGSTOP for 30 s under a constant load, then resumed with
 * SIGCONT: what the others did meanwhile, what the frozen one did when it woke, and whether the
 * shared state came out whole. Slow (over a minute): {@code mvn verify -Pslow}.
 */
@Tag("slow")
class FreezeIT {

    private static final Logger LOG = Logger.getLogger(FreezeIT.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE = 100;
    private static final Duration FREEZE_AT = Duration.ofSeconds(5);
    private static final Duration FREEZE = Duration.ofSeconds(30);
    private static final Duration LOAD = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private ClusterProcesses cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private int members(NodeProcess node) {
        try {
            JsonNode view = JSON.readTree(cluster.get(node.admin("/admin/cluster"), ClusterProcesses.ADMIN).body());
            return view.path("members").size();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void aNodeFrozenForThirtySecondsRejoinsAndTheSharedStateComesOutWhole() throws Exception {
        try (TestUpstream upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("pong"))) {
            cluster = ClusterProcesses.start(dir, upstream.port());
            List<NodeProcess> nodes = cluster.nodes();
            NodeProcess frozen = nodes.get(2);
            ClusterProcesses.Balancer balancer = cluster.balancer();
            ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
            List<CompletableFuture<Void>> sent = new CopyOnWriteArrayList<>();
            long total = LOAD.toSeconds() * RATE;
            AtomicInteger scheduled = new AtomicInteger();
            clock.scheduleAtFixedRate(() -> {
                if (scheduled.incrementAndGet() <= total) {
                    sent.add(balancer.send(1));
                }
            }, 0, 1_000_000L / RATE, TimeUnit.MICROSECONDS);
            // The balancer's health check: a node taken out comes back once it says it is ready.
            clock.scheduleAtFixedRate(() -> {
                for (int i = 0; i < nodes.size(); i++) {
                    try {
                        if (balancer.isDown(i) && cluster.get(nodes.get(i).admin("/health/ready"), null).statusCode() == 200) {
                            balancer.restore(i);
                        }
                    } catch (Exception e) {
                        // still frozen or gone
                    }
                }
            }, 500, 500, TimeUnit.MILLISECONDS);
            Map<Long, String> timeline = new TreeMap<>();

            // The moment comes from the load's own clock: once it has sent FREEZE_AT's worth of requests.
            long due = FREEZE_AT.toMillis() * RATE / 1000;
            await().atMost(FREEZE_AT.plusSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> scheduled.get() >= due);
            long before = cluster.remaining(nodes.get(0));
            Map<Integer, Integer> okBefore = snapshot(balancer.okBy);
            Map<Integer, Integer> failedBefore = snapshot(balancer.failedBy);
            frozen.signal("STOP");
            long stoppedAt = System.nanoTime();
            int fewest = 3;
            while (System.nanoTime() - stoppedAt < FREEZE.toNanos()) {
                int seen = members(nodes.get(0));
                if (seen > 0 && seen < fewest) {
                    fewest = seen;
                    timeline.put(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt), "node 1 sees " + seen + " members");
                }
                Thread.sleep(250); // sampling the majority's view while the frozen node cannot answer
            }
            Map<Integer, Integer> okDuring = minus(snapshot(balancer.okBy), okBefore);
            Map<Integer, Integer> failedDuring = minus(snapshot(balancer.failedBy), failedBefore);
            frozen.signal("CONT");
            long resumedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (NodeProcess node : nodes) {
                    assertThat(members(node)).isEqualTo(3);
                    assertThat(cluster.get(node.traffic("/api/ping"), null).statusCode()).isEqualTo(200);
                }
            });
            double rejoined = (System.nanoTime() - resumedAt) / 1e9;

            await().atMost(LOAD.plusSeconds(60)).until(() -> scheduled.get() > total);
            clock.shutdownNow();
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            long after = cluster.remaining(nodes.get(2));

            String figures = ("%d requests at %d/s through 3 nodes, node 3 frozen (SIGSTOP) for %d s: %d ok, %d failed %s;"
                    + " during the freeze, per node, ok %s and failed %s; majority's view: %s; after SIGCONT every node"
                    + " saw 3 members and served again within %.1f s; rate-limit remaining %d before, %d at the end (read"
                    + " on the node that was frozen)")
                    .formatted(balancer.ok.get() + balancer.failed.get(), RATE, FREEZE.toSeconds(), balancer.ok.get(),
                            balancer.failed.get(), balancer.failures, okDuring, failedDuring,
                            timeline.isEmpty() ? "3 members throughout" : timeline, rejoined, before, after);
            LOG.info(figures);
            System.out.println("FREEZE " + figures);

            assertThat(after).as("the counter went on from where it was, on every node").isLessThan(before);
            for (NodeProcess node : nodes) {
                JsonNode instances = JSON.readTree(cluster.get(node.admin("/registry/services/backend"),
                        ClusterProcesses.REGISTRATION).body());
                assertThat(instances.toString()).contains("b-1");
            }
        }
    }

    private static Map<Integer, Integer> snapshot(Map<Integer, AtomicInteger> counts) {
        Map<Integer, Integer> copy = new TreeMap<>();
        counts.forEach((node, count) -> copy.put(node + 1, count.get()));
        return copy;
    }

    private static Map<Integer, Integer> minus(Map<Integer, Integer> later, Map<Integer, Integer> earlier) {
        Map<Integer, Integer> difference = new TreeMap<>();
        later.forEach((node, count) -> difference.put(node, count - earlier.getOrDefault(node, 0)));
        return difference;
    }
}
