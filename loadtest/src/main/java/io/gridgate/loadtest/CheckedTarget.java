package io.gridgate.loadtest;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A path on a server whose every answer must have one body: an upstream directly ({@code node} null), or a route of a
 * Gridgate node that serves several; closing it leaves both running (the benchmark stops them).
 *
 * @param name the target's name in flags, tables and JSON
 * @param address where the requests go
 * @param path the path every request asks for
 * @param body the JSON every 2xx answer must have (compared without whitespace, see {@link ExpectedBody})
 * @param node the node serving the route, whose CPU the run counts; null for an upstream without a proxy
 */
record CheckedTarget(String name, InetSocketAddress address, String path, String body, GridgateNode node)
        implements Target {

    @Override
    public Optional<String> expectedBody() {
        return Optional.of(body);
    }

    @Override
    public OptionalLong cpuNanos() {
        return node == null ? OptionalLong.empty() : node.cpuNanos();
    }

    @Override
    public void close() {
        // The upstream and the node belong to the benchmark, which stops them after the last run.
    }
}
