package io.gridgate.node.config;

/**
 * Caps the retries each node sends to one upstream: over any ten seconds, at most {@code percent}
 * of its requests plus {@code minRetriesPerSecond} for each second, so an outage cannot multiply
 * the load on the upstream while a quiet upstream can still be retried at all.
 */
public record RetryBudgetConfig(int percent, int minRetriesPerSecond) {

    public static final RetryBudgetConfig DEFAULT = new RetryBudgetConfig(20, 3);
}
