package io.gridgate.node.config;

import java.time.Duration;

/**
 * Passive health: an instance that fails {@code consecutiveFailures} requests in a row (connect
 * failures, resets, timeouts, 5xx) is ejected on every node for {@code ejectionTime}, doubled for
 * each ejection in a row.
 *
 * @param consecutiveFailures 0 turns outlier detection off
 * @param maxEjectionPercent never eject more than this share of a service's instances
 */
public record OutlierConfig(int consecutiveFailures, Duration ejectionTime, int maxEjectionPercent) {

    public static final OutlierConfig DEFAULT = new OutlierConfig(5, Duration.ofSeconds(30), 50);
}
