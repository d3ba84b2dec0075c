package io.gridgate.node.config;

import java.util.List;

/** The whole validated configuration of one node: what the YAML file and the environment say. */
public record GatewayConfig(
        ServerConfig server,
        AdminConfig admin,
        ClusterConfig cluster,
        List<RouteConfig> routes) {

    public GatewayConfig {
        routes = List.copyOf(routes);
    }
}
