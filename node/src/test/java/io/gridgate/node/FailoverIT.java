package io.gridgate.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.testing.NodeProcess;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
    private static final String ADMIN = "failover-admin-token-0123456789";
    private static final String REGISTRATION = "failover-registration-token-01";
    private static final int RATE = 150;
    private static final Duration LOAD = Duration.ofSeconds(16);
    private static final Duration KILL_AT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void kill() {
        nodes.forEach(node -> node.process().destroyForcibly());
    }

    private List<NodeProcess> startCluster(String upstream) throws IOException, InterruptedException {
        int[] cluster = {NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort()};
        String members = "[\"127.0.0.1:%d\", \"127.0.0.1:%d\", \"127.0.0.1:%d\"]".formatted(cluster[0], cluster[1], cluster[2]);
        for (int i = 0; i < 3; i++) {
            int port = NodeProcess.freePort();
            int adminPort = NodeProcess.freePort();
            Path config = Files.writeString(dir.resolve("node" + i + ".yaml"), """
                    server: {bindAddress: 127.0.0.1, port: %d, ioThreads: 1, drainTimeout: 1s}
                    admin: {bindAddress: 127.0.0.1, port: %d, token: %s, registrationToken: %s}
                    cluster: {name: failover-%d, bindAddress: 127.0.0.1, port: %d, members: %s, expectedMembers: 3}
                    accessLog: {enabled: false}
                    routes:
                      - id: api
                        match: {pathPrefix: /api}
                        upstream: "service:backend"
                        rateLimits: [{id: everyone, limits: [{permits: 1000000, per: 1h, algorithm: slidingWindow}], key: [route]}]
                    """.formatted(port, adminPort, ADMIN, REGISTRATION, ProcessHandle.current().pid(), cluster[i],
                    members));
            nodes.add(NodeProcess.start(config, port, adminPort));
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
            for (NodeProcess node : nodes) {
                assertThat(node.process().isAlive()).as("alive; output:%n%s", String.join("\n", node.output())).isTrue();
                assertThat(get(node.admin("/health/ready"), null).statusCode()).isEqualTo(200);
            }
        });
        HttpResponse<String> registered = client.send(HttpRequest.newBuilder(
                        nodes.get(0).admin("/registry/services/backend/instances/b-1"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"host\":\"127.0.0.1\",\"port\":" + upstream + ",\"ttlSeconds\":300}"))
                .header("Authorization", "Bearer " + REGISTRATION).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isIn(200, 201);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            for (NodeProcess node : nodes) {
                assertThat(get(node.traffic("/api/ping"), null).statusCode()).isEqualTo(200);
            }
        });
        return nodes;
    }

    private HttpResponse<String> get(java.net.URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long remaining(NodeProcess node) throws Exception {
        JsonNode peek = JSON.readTree(get(node.admin("/admin/ratelimit/api"), ADMIN).body());
        return peek.at("/policies/0/limits/0/remaining").asLong(-1);
    }

    /** What a balancer does with a node that refuses connections: it sends the request to the next one. */
    private final class Balancer {
        private final Map<Integer, Boolean> down = new ConcurrentHashMap<>();
        private final AtomicInteger next = new AtomicInteger();
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger redispatched = new AtomicInteger();
        final Map<Integer, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

        CompletableFuture<Void> send(int attempt) {
            int index = Math.floorMod(next.getAndIncrement(), nodes.size());
            if (down.containsKey(index) && attempt < nodes.size()) {
                return send(attempt + 1);
            }
            inFlight.computeIfAbsent(index, i -> new AtomicInteger()).incrementAndGet();
            return client.sendAsync(HttpRequest.newBuilder(nodes.get(index).traffic("/api/ping"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                    .handle((response, error) -> {
                        inFlight.get(index).decrementAndGet();
                        if (error == null && response.statusCode() == 200) {
                            ok.incrementAndGet();
                            return CompletableFuture.<Void>completedFuture(null);
                        }
                        Throwable cause = error == null ? null : (error.getCause() != null ? error.getCause() : error);
                        if (cause instanceof ConnectException && attempt < nodes.size()) {
                            down.put(index, true);
                            redispatched.incrementAndGet();
                            return send(attempt + 1);
                        }
                        failed.incrementAndGet();
                        failures.computeIfAbsent(error == null ? "status " + response.statusCode()
                                : cause.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                        return CompletableFuture.<Void>completedFuture(null);
                    }).thenCompose(f -> f);
        }
    }

    @Test
    void killingOneOfThreeNodesMidRunLosesAtMostItsRequestsInFlightAndNoState() throws Exception {
        try (TestUpstream upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("pong"))) {
            startCluster(Integer.toString(upstream.port()));
            NodeProcess victim = nodes.get(2);
            Balancer balancer = new Balancer();
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

            Thread.sleep(KILL_AT.toMillis()); // the load runs on its own clock; this one only picks the moment
            long before = remaining(nodes.get(0));
            int inFlightAtKill = balancer.inFlight.getOrDefault(2, new AtomicInteger()).get();
            victim.process().destroyForcibly(); // SIGKILL
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
                for (NodeProcess survivor : nodes.subList(0, 2)) {
                    JsonNode view = JSON.readTree(get(survivor.admin("/admin/cluster"), ADMIN).body());
                    assertThat(view.path("members")).hasSize(2);
                }
            });
            double settled = (System.nanoTime() - killed) / 1e9;

            assertThat(done.await(LOAD.toSeconds() + 30, TimeUnit.SECONDS)).isTrue();
            clock.shutdown();
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            long after = remaining(nodes.get(1));

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
                JsonNode instances = JSON.readTree(get(survivor.admin("/registry/services/backend"), REGISTRATION).body());
                assertThat(instances.toString()).as("the registry survived on %s", survivor.adminPort()).contains("b-1");
                assertThat(get(survivor.traffic("/api/ping"), null).statusCode()).isEqualTo(200);
            }
        }
    }
}
