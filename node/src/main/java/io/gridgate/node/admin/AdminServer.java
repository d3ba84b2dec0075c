package io.gridgate.node.admin;

import io.gridgate.node.config.AdminConfig;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The admin listener: small, on its own port and I/O thread, so it answers even when traffic
 * saturates. It starts before the grid member joins, so probes see the node starting; the registry
 * endpoints answer 503 until the registry is there.
 */
public final class AdminServer implements AutoCloseable {

    private final Undertow undertow;
    private final AtomicReference<RegistryHandlers> registry;

    private AdminServer(Undertow undertow, AtomicReference<RegistryHandlers> registry) {
        this.undertow = undertow;
        this.registry = registry;
    }

    public static AdminServer start(AdminConfig config, Readiness readiness) {
        AtomicReference<RegistryHandlers> registry = new AtomicReference<>();
        String instance = "/registry/services/{service}/instances/{instance}";
        RoutingHandler routes = new RoutingHandler()
                .get("/health/live", HealthHandlers.live())
                .get("/health/ready", HealthHandlers.ready(readiness))
                .put(instance, whenReady(registry, RegistryHandlers::register))
                .delete(instance, whenReady(registry, RegistryHandlers::deregister))
                .get("/registry/services", whenReady(registry, RegistryHandlers::listAll))
                .get("/registry/services/{service}", whenReady(registry, RegistryHandlers::listService))
                .setFallbackHandler(exchange -> LocalReply.send(exchange, Reason.NO_ROUTE))
                .setInvalidMethodHandler(exchange -> LocalReply.send(exchange, Reason.METHOD_NOT_ALLOWED));
        Undertow undertow = Undertow.builder()
                .addHttpListener(config.port(), config.bindAddress())
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(routes)
                .build();
        undertow.start();
        return new AdminServer(undertow, registry);
    }

    private interface Endpoint {
        HttpHandler of(RegistryHandlers handlers);
    }

    private static HttpHandler whenReady(AtomicReference<RegistryHandlers> registry, Endpoint endpoint) {
        return exchange -> {
            RegistryHandlers handlers = registry.get();
            if (handlers == null) {
                LocalReply.send(exchange, Reason.REGISTRY_UNAVAILABLE, "the node is still joining its cluster");
            } else {
                endpoint.of(handlers).handleRequest(exchange);
            }
        };
    }

    /** Opens the registry endpoints, once the grid member has joined. */
    public void serveRegistry(RegistryHandlers handlers) {
        registry.set(handlers);
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
