package io.gridgate.node.admin;

import io.gridgate.node.config.AdminConfig;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.undertow.Undertow;
import io.undertow.server.RoutingHandler;

import java.net.InetSocketAddress;

/** The admin listener: small, on its own port and I/O thread, so it answers even when traffic saturates. */
public final class AdminServer implements AutoCloseable {

    private final Undertow undertow;

    private AdminServer(Undertow undertow) {
        this.undertow = undertow;
    }

    public static AdminServer start(AdminConfig config, Readiness readiness) {
        RoutingHandler routes = new RoutingHandler()
                .get("/health/live", HealthHandlers.live())
                .get("/health/ready", HealthHandlers.ready(readiness))
                .setFallbackHandler(exchange -> LocalReply.send(exchange, Reason.NO_ROUTE))
                .setInvalidMethodHandler(exchange -> LocalReply.methodNotAllowed(exchange, "GET"));
        Undertow undertow = Undertow.builder()
                .addHttpListener(config.port(), config.bindAddress())
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(routes)
                .build();
        undertow.start();
        return new AdminServer(undertow);
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
