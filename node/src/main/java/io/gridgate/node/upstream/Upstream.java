package io.gridgate.node.upstream;

import io.gridgate.node.resilience.Breaker;
import io.gridgate.node.resilience.RetryBudget;
import io.undertow.server.HttpServerExchange;

import java.util.List;

/** A set of interchangeable endpoints that a route sends requests to. */
public interface Upstream {

    /** The endpoint for this request, or {@code null} when none can take it now. */
    Endpoint choose(HttpServerExchange exchange);

    /**
     * The endpoint for a retry: one not in {@code tried} when there is one, else any that
     * {@link #choose(HttpServerExchange)} would give.
     */
    default Endpoint choose(HttpServerExchange exchange, List<Endpoint> tried) {
        return choose(exchange);
    }

    /** How error messages and logs name it, e.g. {@code http://10.0.0.7:9000}. */
    String name();

    /** The circuit breaker that guards it on this node. */
    Breaker breaker();

    /** The cap on this node's retries to it. */
    RetryBudget retryBudget();

    /**
     * What became of a request sent to an endpoint this upstream chose: {@code failed} for connect
     * failures, resets, timeouts and 5xx answers. Feeds passive health (outlier detection).
     */
    default void report(Endpoint endpoint, boolean failed) {
    }
}
