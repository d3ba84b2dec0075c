package io.gridgate.node.config;

import java.util.List;
import java.util.Map;

/**
 * The whole validated configuration of one node: what the YAML file and the environment say. The
 * named {@code policies} have no field of their own: each route holds the ones it uses.
 */
public record GatewayConfig(
        ServerConfig server,
        AdminConfig admin,
        ClusterConfig cluster,
        Map<String, ServiceConfig> services,
        List<RouteConfig> routes,
        AuthConfig auth,
        TracingConfig tracing,
        AccessLogConfig accessLog) {

    public GatewayConfig {
        services = Map.copyOf(services);
        routes = List.copyOf(routes);
    }

    /** Without tracing, and with the default access log (standard output). */
    public GatewayConfig(ServerConfig server, AdminConfig admin, ClusterConfig cluster, Map<String, ServiceConfig> services,
                         List<RouteConfig> routes, AuthConfig auth) {
        this(server, admin, cluster, services, routes, auth, TracingConfig.OFF, AccessLogConfig.DEFAULT);
    }

    /** This node's own sections with the shared ones ({@code services}, {@code routes}, {@code auth}) of {@code shared}. */
    public GatewayConfig withShared(GatewayConfig shared) {
        return new GatewayConfig(server, admin, cluster, shared.services, shared.routes, shared.auth, tracing, accessLog);
    }

    /** The settings of a registered service, the defaults when the config does not name it. */
    public ServiceConfig service(String name) {
        return services.getOrDefault(name, ServiceConfig.defaults(name));
    }
}
