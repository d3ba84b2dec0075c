package io.gridgate.node.config;

import java.util.Optional;

/** How Gridgate watches one registered service's instances and protects it from overload. */
public record ServiceConfig(String name, Optional<HealthCheckConfig> healthCheck, OutlierConfig outlierDetection,
                            CircuitBreakerConfig circuitBreaker, RetryBudgetConfig retryBudget) {

    /** The settings of a service the config does not name, and of URL upstreams. */
    public static ServiceConfig defaults(String name) {
        return new ServiceConfig(name, Optional.empty(), OutlierConfig.DEFAULT, CircuitBreakerConfig.DEFAULT,
                RetryBudgetConfig.DEFAULT);
    }
}
