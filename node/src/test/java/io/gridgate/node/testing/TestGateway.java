package io.gridgate.node.testing;

import io.gridgate.cluster.testing.TestGrids;
import io.gridgate.node.GatewayNode;
import io.gridgate.node.config.ConfigException;
import io.gridgate.node.config.ConfigLoader;
import io.gridgate.node.config.ConfigSeed;
import io.gridgate.node.config.GatewayConfig;

import java.net.URI;
import java.util.Map;

/**
 * A whole gateway node on ephemeral ports, its grid member on Hazelcast's in-JVM mock network.
 * The YAML given is the {@code routes:} section; listeners and cluster settings are the test's.
 */
public final class TestGateway implements AutoCloseable {

    private final TestGrids grids = new TestGrids();
    private final GatewayNode node;

    private TestGateway(GatewayConfig config, ConfigSeed seed) {
        this.node = GatewayNode.start(config, seed, settings -> grids.newGrid());
    }

    /** Starts a node with these routes and one I/O thread, so per-thread pool bounds are exact. */
    public static TestGateway withRoutes(String routesYaml) {
        return start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 5s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                accessLog: {enabled: false}
                routes:
                """ + routesYaml.stripIndent().indent(2));
    }

    /** Starts a node from a whole config document. */
    public static TestGateway start(String yaml) {
        return new TestGateway(config(yaml), ConfigSeed.of("test.yaml", yaml));
    }

    public static GatewayConfig config(String yaml) {
        try {
            return ConfigLoader.parse("test.yaml", yaml, Map.of());
        } catch (ConfigException e) {
            throw new IllegalArgumentException("test config is invalid:\n" + e.getMessage() + "\n" + yaml, e);
        }
    }

    public GatewayNode node() {
        return node;
    }

    public int port() {
        return node.port();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + node.port() + pathAndQuery);
    }

    public URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + node.adminPort() + path);
    }

    @Override
    public void close() {
        try {
            node.drainAndStop();
        } finally {
            grids.close();
        }
    }
}
