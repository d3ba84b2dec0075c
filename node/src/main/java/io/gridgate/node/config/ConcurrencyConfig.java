package io.gridgate.node.config;

import java.time.Duration;
import java.util.List;

/**
 * A bound on requests in flight for a route, per key (all clients together when the key is empty).
 * Requests over the bound wait in a short queue; those still waiting at the deadline, or finding
 * the queue full, are refused.
 *
 * @param scope {@code node}: each node counts its own; {@code cluster}: the count is kept in the grid
 * @param refuseWith the status of a refusal: 503 (overloaded) or 429 (this client sends too much)
 */
public record ConcurrencyConfig(String id, List<RateLimitConfig.KeyPart> key, int maxInFlight, Scope scope,
                                int queueSize, Duration queueTimeout, int refuseWith) {

    public ConcurrencyConfig {
        key = List.copyOf(key);
    }

    /** Where the in-flight count is kept. */
    public enum Scope { NODE, CLUSTER }
}
