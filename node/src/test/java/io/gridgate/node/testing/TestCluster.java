package io.gridgate.node.testing;

import io.gridgate.cluster.testing.TestGrids;
import io.gridgate.node.GatewayNode;
import io.gridgate.node.config.ConfigSeed;
import io.gridgate.node.config.GatewayConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Several gateway nodes in one JVM whose grid members form one cluster on the mock network. */
public final class TestCluster implements AutoCloseable {

    public static final String TOKEN = "test-registration-token";

    private final TestGrids grids = new TestGrids();
    private final List<GatewayNode> nodes = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();

    private TestCluster() {
    }

    /** Starts {@code size} nodes with these routes, the registration token {@link #TOKEN} and short drains. */
    public static TestCluster withRoutes(int size, String routesYaml) {
        return start(size, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, registrationToken: %s}
                accessLog: {enabled: false}
                routes:
                """.formatted(TOKEN) + routesYaml.stripIndent().indent(2));
    }

    public static TestCluster start(int size, String yaml) {
        TestCluster cluster = new TestCluster();
        GatewayConfig config = TestGateway.config(yaml);
        try {
            for (int i = 0; i < size; i++) {
                cluster.nodes.add(GatewayNode.start(config, ConfigSeed.of("test.yaml", yaml),
                        settings -> cluster.grids.newGrid()));
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Waits until every partition has its backups, as a settled cluster does. */
    public void awaitSafeState() {
        grids.awaitSafeState();
    }

    /** The in-JVM members the nodes run on, to act on the grid as a network fault would. */
    public TestGrids grids() {
        return grids;
    }

    public GatewayNode node(int index) {
        return nodes.get(index);
    }

    public int size() {
        return nodes.size();
    }

    public URI uri(int node, String path) {
        return URI.create("http://127.0.0.1:" + nodes.get(node).port() + path);
    }

    public URI adminUri(int node, String path) {
        return URI.create("http://127.0.0.1:" + nodes.get(node).adminPort() + path);
    }

    /** GET through a node's traffic port. */
    public HttpResponse<String> get(int node, String path) {
        return send(HttpRequest.newBuilder(uri(node, path)).build());
    }

    /** Registers (or renews) an instance through a node's heartbeat endpoint. */
    public HttpResponse<String> register(int node, String service, String id, String json) {
        return send(HttpRequest.newBuilder(adminUri(node, "/registry/services/" + service + "/instances/" + id))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> deregister(int node, String service, String id) {
        return send(HttpRequest.newBuilder(adminUri(node, "/registry/services/" + service + "/instances/" + id))
                .header("Authorization", "Bearer " + TOKEN).DELETE().build());
    }

    /** GET on node 0's admin port, with the registration token. */
    public HttpResponse<String> get0(String path) {
        return send(HttpRequest.newBuilder(adminUri(0, path)).header("Authorization", "Bearer " + TOKEN).build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request failed: " + request, e);
        }
    }

    @Override
    public void close() {
        try {
            nodes.forEach(GatewayNode::drainAndStop);
        } finally {
            grids.close();
        }
    }
}
