package io.gridgate.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three Gridgate nodes as separate JVMs on loopback, with an upstream registered as {@code backend},
 * a route {@code /api} to it with a cluster-wide rate limit, and a stand-in for the L4 balancer in
 * front: the setting of the tests about nodes that die or freeze.
 */
public final class ClusterProcesses implements AutoCloseable {

    public static final String ADMIN = "failover-admin-token-0123456789";
    public static final String REGISTRATION = "failover-registration-token-01";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<NodeProcess> nodes = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();

    private ClusterProcesses() {
    }

    /** Starts three nodes, registers the upstream {@code backend} at {@code upstreamPort}, and waits until each serves it. */
    public static ClusterProcesses start(Path dir, int upstreamPort) throws IOException, InterruptedException {
        ClusterProcesses processes = new ClusterProcesses();
        try {
            processes.startNodes(dir, Integer.toString(upstreamPort));
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            processes.close();
            throw e;
        }
        return processes;
    }

    private void startNodes(Path dir, String upstream) throws IOException, InterruptedException {
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
    }

    public HttpResponse<String> get(java.net.URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public long remaining(NodeProcess node) throws Exception {
        JsonNode peek = JSON.readTree(get(node.admin("/admin/ratelimit/api"), ADMIN).body());
        return peek.at("/policies/0/limits/0/remaining").asLong(-1);
    }

    /** What a balancer does with a node that refuses connections: it sends the request to the next one. */
    public Balancer balancer() {
        return new Balancer();
    }

    public List<NodeProcess> nodes() {
        return nodes;
    }

    @Override
    public void close() {
        nodes.forEach(node -> node.process().destroyForcibly());
    }

    /**
     * What an L4 balancer does: spreads requests round-robin over the nodes, takes a node out when it
     * refuses a connection or stops answering (and sends that request to the next one when it could not
     * have reached the node), and puts it back when {@link #restore} says it is ready again.
     */
    public final class Balancer {
        private final Map<Integer, Boolean> down = new ConcurrentHashMap<>();
        private final AtomicInteger next = new AtomicInteger();
        public final AtomicInteger ok = new AtomicInteger();
        public final AtomicInteger failed = new AtomicInteger();
        public final AtomicInteger redispatched = new AtomicInteger();
        public final Map<Integer, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        public final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

        /** Per node: requests answered 200, and requests that failed. */
        public final Map<Integer, AtomicInteger> okBy = new ConcurrentHashMap<>();
        public final Map<Integer, AtomicInteger> failedBy = new ConcurrentHashMap<>();

        /** Puts a node back in rotation. */
        public void restore(int index) {
            down.remove(index);
        }

        public boolean isDown(int index) {
            return down.containsKey(index);
        }

        public CompletableFuture<Void> send(int attempt) {
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
                            okBy.computeIfAbsent(index, i -> new AtomicInteger()).incrementAndGet();
                            return CompletableFuture.<Void>completedFuture(null);
                        }
                        Throwable cause = error == null ? null : (error.getCause() != null ? error.getCause() : error);
                        if (cause instanceof ConnectException && attempt < nodes.size()) {
                            down.put(index, true);
                            redispatched.incrementAndGet();
                            return send(attempt + 1);
                        }
                        if (cause instanceof java.net.http.HttpTimeoutException) {
                            down.put(index, true); // a balancer's health check would notice it too
                        }
                        failed.incrementAndGet();
                        failedBy.computeIfAbsent(index, i -> new AtomicInteger()).incrementAndGet();
                        failures.computeIfAbsent(error == null ? "status " + response.statusCode()
                                : cause.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                        return CompletableFuture.<Void>completedFuture(null);
                    }).thenCompose(f -> f);
        }
    }
}
