package io.gridgate.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.testing.NodeProcess;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes as separate JVMs: a route added through the admin API survives stopping every node at
 * once, because each node wrote the version to its own disk and the newest copy seeds the cluster
 * when it forms again, over the file's older routes, whichever node comes back first.
 */
class ConfigRestartIT {

    private static final String TOKEN = "restart-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void kill() {
        nodes.forEach(node -> node.process().destroyForcibly());
    }

    private NodeProcess launch(Path config, int port, int adminPort) throws IOException {
        NodeProcess node = NodeProcess.start(config, port, adminPort);
        nodes.add(node);
        return node;
    }

    private HttpResponse<String> get(URI uri, boolean admin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (admin) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI admin(NodeProcess node, String path) {
        return node.admin(path);
    }

    private static URI traffic(NodeProcess node, String path) {
        return node.traffic(path);
    }

    private void awaitReady(List<NodeProcess> started) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
            for (NodeProcess node : started) {
                assertThat(node.process().isAlive()).as("node alive; output:%n%s", String.join("\n", node.output())).isTrue();
                // Ready only once the traffic listener accepts; the admin listener answers before it does.
                assertThat(get(admin(node, "/health/ready"), false).statusCode()).isEqualTo(200);
                JsonNode cluster = JSON.readTree(get(admin(node, "/admin/cluster"), true).body());
                assertThat(cluster.path("members")).hasSize(started.size());
            }
        });
    }

    /** Writes both nodes' files: each with a data directory of its own, the file's one route {@code /ping}. */
    private List<NodeFile> configs(TestUpstream upstream) throws IOException {
        int[] clusterPorts = {NodeProcess.freePort(), NodeProcess.freePort()};
        List<NodeFile> configs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path data = Files.createDirectories(dir.resolve("node" + i));
            int port = NodeProcess.freePort();
            int adminPort = NodeProcess.freePort();
            configs.add(new NodeFile(Files.writeString(dir.resolve("node" + i + ".yaml"), """
                    server: {bindAddress: 127.0.0.1, port: %d, ioThreads: 1, drainTimeout: 1s}
                    admin: {bindAddress: 127.0.0.1, port: %d, token: %s}
                    cluster:
                      name: restart-%d
                      bindAddress: 127.0.0.1
                      port: %d
                      members: ["127.0.0.1:%d", "127.0.0.1:%d"]
                      dataDir: %s
                    accessLog: {enabled: false}
                    routes:
                      - id: ping
                        match: {path: /ping}
                        upstream: %s
                    """.formatted(port, adminPort, TOKEN, ProcessHandle.current().pid(), clusterPorts[i],
                    clusterPorts[0], clusterPorts[1], data, upstream.url())), port, adminPort));
        }
        return configs;
    }

    /** A node's file and the ports it names. */
    private record NodeFile(Path config, int port, int adminPort) {
    }

    private NodeProcess launch(NodeFile file) throws IOException {
        return launch(file.config(), file.port(), file.adminPort());
    }

    /** Adds a route through {@code node}'s admin API as the version after {@code basedOn}. */
    private void addRoute(NodeProcess node, String id, long basedOn, TestUpstream upstream) throws Exception {
        String route = "{\"match\": {\"path\": \"/" + id + "\"}, \"upstream\": \"" + upstream.url() + "\"}";
        HttpResponse<String> added = client.send(HttpRequest.newBuilder(admin(node, "/admin/routes/" + id))
                .PUT(HttpRequest.BodyPublishers.ofString(route)).header("Authorization", "Bearer " + TOKEN)
                .header("If-Match", "\"" + basedOn + "\"").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    }

    private void assertRuns(NodeProcess node, long version, String route) throws Exception {
        JsonNode config = JSON.readTree(get(admin(node, "/admin/config"), true).body());
        assertThat(config.path("version").asLong()).isEqualTo(version);
        assertThat(config.path("source").asText()).contains("PUT /routes/" + route);
        assertThat(get(traffic(node, "/" + route), false).body()).isEqualTo("pong");
    }

    @Test
    void aChangeMadeThroughTheApiSurvivesARestartOfEveryNode() throws Exception {
        try (TestUpstream upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("pong"))) {
            List<NodeFile> configs = configs(upstream);
            List<NodeProcess> first = List.of(launch(configs.get(0)), launch(configs.get(1)));
            awaitReady(first);

            addRoute(first.get(0), "added", 1, upstream);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(get(traffic(first.get(1), "/added"), false).body()).isEqualTo("pong"));

            for (NodeProcess node : first) {
                node.process().toHandle().destroy(); // SIGTERM: both at once, nobody left holding the grid
            }
            for (NodeProcess node : first) {
                assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            }

            List<NodeProcess> second = List.of(launch(configs.get(0)), launch(configs.get(1)));
            awaitReady(second);

            for (NodeProcess node : second) {
                assertRuns(node, 2, "added");
            }
            assertThat(second.get(0).output()).anyMatch(line -> line.contains("shared configuration version 2"));
        }
    }

    /*
     * The disks differ: b crashed after the first change and missed three more. Both crash (SIGKILL,
     * no goodbye), b comes back first and forms the cluster from its older copy; a's newer copy of the
     * same history must still win when a joins.
     */
    @Test
    void theNewestDiskWinsAfterEveryNodeCrashedEvenWhenTheNodeWithAnOlderCopyStartsFirst() throws Exception {
        try (TestUpstream upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("pong"))) {
            List<NodeFile> configs = configs(upstream);
            NodeProcess a = launch(configs.get(0));
            NodeProcess b = launch(configs.get(1));
            awaitReady(List.of(a, b));
            addRoute(a, "first", 1, upstream);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertRuns(b, 2, "first"));

            crash(b);
            awaitReady(List.of(a));
            for (int version = 2; version <= 4; version++) {
                addRoute(a, "while-b-was-down-" + version, version, upstream);
            }
            crash(a);

            NodeProcess bAgain = launch(configs.get(1));
            awaitReady(List.of(bAgain));
            assertRuns(bAgain, 2, "first");
            NodeProcess aAgain = launch(configs.get(0));
            awaitReady(List.of(bAgain, aAgain));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertRuns(aAgain, 5, "while-b-was-down-4");
                assertRuns(bAgain, 5, "while-b-was-down-4");
            });
            assertThat(get(traffic(bAgain, "/while-b-was-down-2"), false).body()).isEqualTo("pong");
        }
    }

    private static void crash(NodeProcess node) throws InterruptedException {
        node.process().destroyForcibly(); // SIGKILL
        assertThat(node.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
