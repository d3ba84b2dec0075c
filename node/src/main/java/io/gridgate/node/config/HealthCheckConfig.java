package io.gridgate.node.config;

import java.time.Duration;

/**
 * Active health checking: one node at a time polls each instance's {@code path}; a 2xx answer is a
 * pass, anything else (or no answer within {@code timeout}) a failure.
 *
 * @param unhealthyThreshold consecutive failures that take an instance out of rotation on every node
 * @param healthyThreshold consecutive passes that put it back
 */
public record HealthCheckConfig(String path, Duration interval, Duration timeout, int healthyThreshold,
                                int unhealthyThreshold) {
}
