package io.gridgate.node.config;

import java.util.Optional;

/** How Gridgate watches the health of one registered service's instances. */
public record ServiceConfig(String name, Optional<HealthCheckConfig> healthCheck, OutlierConfig outlierDetection) {

    /** The settings of a service the config does not name. */
    public static ServiceConfig defaults(String name) {
        return new ServiceConfig(name, Optional.empty(), OutlierConfig.DEFAULT);
    }
}
