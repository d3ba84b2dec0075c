package io.gridgate.node.upstream;

import io.undertow.server.HttpServerExchange;

/** A set of interchangeable endpoints that a route sends requests to. */
public interface Upstream {

    /** The endpoint for this request, or {@code null} when none can take it now. */
    Endpoint choose(HttpServerExchange exchange);

    /** How error messages and logs name it, e.g. {@code http://10.0.0.7:9000}. */
    String name();

    /**
     * What became of a request sent to an endpoint this upstream chose: {@code failed} for connect
     * failures, resets, timeouts and 5xx answers. Feeds passive health (outlier detection).
     */
    default void report(Endpoint endpoint, boolean failed) {
    }
}
