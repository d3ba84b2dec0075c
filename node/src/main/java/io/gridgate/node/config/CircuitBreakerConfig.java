package io.gridgate.node.config;

import java.time.Duration;
import java.util.Set;

/**
 * The circuit breaker of one upstream (a registered service, or a URL's host and port). It opens
 * when, over the window, at least {@code minimumCalls} calls were made and the failure rate or the
 * slow-call rate reaches its threshold; it stays open for {@code waitInOpen}, then lets
 * {@code halfOpenCalls} probe calls through.
 *
 * @param window whether the window counts the last {@code windowSize} calls or spans the last
 *     {@code windowSize} seconds
 * @param failureRate percent of failed calls that opens the breaker
 * @param slowCallRate percent of calls slower than {@code slowCallDuration} that opens it
 * @param failureStatuses response statuses that count as failures (connect failures, resets and
 *     timeouts always do)
 * @param share publish this node's trips, so every node opens its breaker too
 * @param quorum how many nodes must have tripped before the breaker opens cluster-wide
 * @param probeJitter a node that opens because another tripped waits up to this much longer, at
 *     random, before probing, so the nodes do not all probe at once
 */
public record CircuitBreakerConfig(boolean enabled, Window window, int windowSize, int minimumCalls,
                                   int failureRate, Duration slowCallDuration, int slowCallRate,
                                   Duration waitInOpen, int halfOpenCalls, Set<Integer> failureStatuses,
                                   boolean share, int quorum, Duration probeJitter) {

    public CircuitBreakerConfig {
        failureStatuses = Set.copyOf(failureStatuses);
    }

    public static final CircuitBreakerConfig DEFAULT = new CircuitBreakerConfig(true, Window.COUNT, 100, 20, 50,
            Duration.ofSeconds(10), 100, Duration.ofSeconds(30), 5, Set.of(500, 502, 503, 504), true, 1,
            Duration.ofSeconds(2));

    /** How the breaker's sliding window is measured. */
    public enum Window { COUNT, TIME }
}
