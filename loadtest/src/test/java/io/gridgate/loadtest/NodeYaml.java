package io.gridgate.loadtest;

import java.net.InetSocketAddress;

/**
 * The node config the scenario tests expect, for the ports and backend they all use: each test then spells out only
 * what its scenario adds, and a change to the common lines is made once.
 */
final class NodeYaml {

    static final InetSocketAddress BACKEND = new InetSocketAddress("127.0.0.1", 9001);

    /** The listeners and the cluster, as {@link #config} writes them. */
    static final String HEAD = """
            server: {bindAddress: 127.0.0.1, port: 9100, ioThreads: 1}
            admin: {bindAddress: 127.0.0.1, port: 9101}
            cluster: {bindAddress: 127.0.0.1, port: 9102}
            """;

    /** One route for every path to {@link #BACKEND}, as the proxy and the plain nodes have it. */
    static final String CATCH_ALL = """
            routes:
              - id: bench
                match: {pathPrefix: /}
                upstream: http://127.0.0.1:9001
            """;

    private NodeYaml() {
    }

    /** A node's config with {@code routes} on ports 9100 (server), 9101 (admin) and 9102 (cluster). */
    static String config(String routes) {
        return GridgateNode.config(routes, 9100, 9101, 9102);
    }
}
