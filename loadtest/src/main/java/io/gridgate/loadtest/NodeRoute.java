package io.gridgate.loadtest;

import java.net.InetSocketAddress;
import java.util.OptionalLong;

/**
 * One route of a Gridgate node that serves several, measured as a target of its own; closing it leaves the node
 * running (the benchmark stops the node after the last route's run).
 *
 * @param name the target's name in flags, tables and JSON
 * @param path the path every request asks for, which selects the route
 * @param node the node serving the route
 */
record NodeRoute(String name, String path, GridgateNode node) implements Target {

    @Override
    public InetSocketAddress address() {
        return node.address();
    }

    /** The node's, as for the proxy benchmark's Gridgate target: it serves every route at once. */
    @Override
    public OptionalLong cpuNanos() {
        return node.cpuNanos();
    }

    @Override
    public OptionalLong gridRoundTrips() {
        return node.gridRoundTrips();
    }

    @Override
    public void close() {
        // The node belongs to the benchmark, which stops it after the last route's run.
    }
}
