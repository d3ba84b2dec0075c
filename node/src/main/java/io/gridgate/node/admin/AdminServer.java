package io.gridgate.node.admin;

import io.gridgate.node.config.AdminConfig;
import io.gridgate.node.metrics.GatewayMetrics;
import io.gridgate.node.metrics.ScrapeHandler;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The admin listener: small, on its own port and I/O thread, so it answers even when traffic
 * saturates. It starts before the grid member joins, so probes see the node starting; the endpoints
 * that need the grid (registry, breakers, cache, metrics) answer 503 until it is there.
 * {@code GET /metrics} needs no token, as Prometheus scrapes without one by default: it shows route
 * ids, breaker and service names and counts, nothing more.
 */
public final class AdminServer implements AutoCloseable {

    private final Undertow undertow;
    private final AdminRoutes routes;
    private final AtomicReference<RegistryHandlers> registry;
    private final AtomicReference<BreakerHandlers> breakers;
    private final AtomicReference<CacheHandlers> cache;
    private final AtomicReference<ScrapeHandler> metrics;
    private final AtomicReference<ConfigHandlers> config;
    private final AtomicReference<OverviewHandlers> overview;
    private final AtomicReference<RateLimitHandlers> rateLimits;

    private AdminServer(Undertow undertow, AdminRoutes routes, AtomicReference<RegistryHandlers> registry,
                        AtomicReference<BreakerHandlers> breakers, AtomicReference<CacheHandlers> cache,
                        AtomicReference<ScrapeHandler> metrics, AtomicReference<ConfigHandlers> config,
                        AtomicReference<OverviewHandlers> overview, AtomicReference<RateLimitHandlers> rateLimits) {
        this.undertow = undertow;
        this.routes = routes;
        this.registry = registry;
        this.breakers = breakers;
        this.cache = cache;
        this.metrics = metrics;
        this.config = config;
        this.overview = overview;
        this.rateLimits = rateLimits;
    }

    public static AdminServer start(AdminConfig config, Readiness readiness) {
        AtomicReference<RegistryHandlers> registry = new AtomicReference<>();
        AtomicReference<BreakerHandlers> breakers = new AtomicReference<>();
        AtomicReference<CacheHandlers> cache = new AtomicReference<>();
        AtomicReference<ScrapeHandler> metrics = new AtomicReference<>();
        AtomicReference<ConfigHandlers> shared = new AtomicReference<>();
        AtomicReference<OverviewHandlers> overview = new AtomicReference<>();
        DashboardAssets dashboard = DashboardAssets.load();
        AtomicReference<RateLimitHandlers> rateLimits = new AtomicReference<>();
        String instance = "/registry/services/{service}/instances/{instance}";
        Optional<String> adminToken = config.token();
        AdminRoutes routes = new AdminRoutes()
                .get("/health/live", HealthHandlers.live())
                .get("/health/ready", HealthHandlers.ready(readiness))
                .put(instance, whenReady(registry, RegistryHandlers::register))
                .delete(instance, whenReady(registry, RegistryHandlers::deregister))
                .get("/registry/services", whenReady(registry, RegistryHandlers::listAll))
                .get("/registry/services/{service}", whenReady(registry, RegistryHandlers::listService))
                .get("/admin/registry/services", whenReady(registry, handlers -> handlers.forOperators(adminToken).listAll()))
                .get("/admin/registry/services/{service}",
                        whenReady(registry, handlers -> handlers.forOperators(adminToken).listService()))
                .delete("/admin" + instance, whenReady(registry, handlers -> handlers.forOperators(adminToken).deregister()))
                .get("/admin/breakers", whenReady(breakers, BreakerHandlers::list))
                .post("/admin/breakers/{name}/open", whenReady(breakers, BreakerHandlers::forceOpen))
                .post("/admin/breakers/{name}/close", whenReady(breakers, BreakerHandlers::forceClose))
                .post("/admin/cache/purge", whenReady(cache, CacheHandlers::purge))
                .get("/admin/ratelimit/{route}", whenReady(rateLimits, RateLimitHandlers::peek))
                .get("/openapi.json", OpenApiDocument.handler())
                .get("/metrics", whenReady(metrics, scrape -> scrape))
                .get("/admin/config", whenReady(shared, handlers -> handlers.document().current()))
                .put("/admin/config", whenReady(shared, handlers -> handlers.document().replace()))
                .get("/admin/config/export", whenReady(shared, handlers -> handlers.document().export()))
                .get("/admin/config/versions", whenReady(shared, handlers -> handlers.history().versions()))
                .get("/admin/config/versions/{version}", whenReady(shared, handlers -> handlers.history().version()))
                .get("/admin/config/diff", whenReady(shared, handlers -> handlers.history().diff()))
                .post("/admin/config/rollback", whenReady(shared, handlers -> handlers.history().rollback()))
                .get("/admin/cluster", whenReady(shared, ConfigHandlers::cluster))
                .get("/admin/overview", whenReady(overview, OverviewHandlers::overview))
                .get("/dashboard", dashboard.page())
                .get("/dashboard/{asset}", dashboard.asset());
        for (ConfigResources.Kind kind : ConfigResources.Kind.values()) {
            String collection = "/admin" + kind.pointer.substring(kind.pointer.lastIndexOf('/'));
            String item = collection + "/{" + kind.parameter + "}";
            routes.get(collection, whenReady(shared, handlers -> handlers.resources().list(kind)))
                    .get(item, whenReady(shared, handlers -> handlers.resources().get(kind)))
                    .put(item, whenReady(shared, handlers -> handlers.resources().put(kind)))
                    .delete(item, whenReady(shared, handlers -> handlers.resources().delete(kind)));
        }
        Undertow undertow = Undertow.builder()
                .addHttpListener(config.port(), config.bindAddress())
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(routes.handler())
                .build();
        undertow.start();
        return new AdminServer(undertow, routes, registry, breakers, cache, metrics, shared, overview, rateLimits);
    }

    private interface Endpoint<H> {
        HttpHandler of(H handlers);
    }

    /** Endpoints that need the grid answer 503 until the member has joined. */
    private static <H> HttpHandler whenReady(AtomicReference<H> ready, Endpoint<H> endpoint) {
        return exchange -> {
            H handlers = ready.get();
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

    /** Opens the circuit-breaker endpoints, once the grid member has joined. */
    public void serveBreakers(BreakerHandlers handlers) {
        breakers.set(handlers);
    }

    /** Opens the response-cache endpoint, once the grid member has joined. */
    public void serveCache(CacheHandlers handlers) {
        cache.set(handlers);
    }

    /** Opens the shared-configuration and cluster endpoints, once the node runs a version. */
    public void serveConfig(ConfigHandlers handlers) {
        config.set(handlers);
    }

    /** Opens the rate-limit endpoint, once the grid member has joined. */
    public void serveRateLimits(RateLimitHandlers handlers) {
        rateLimits.set(handlers);
    }

    /** Opens {@code GET /metrics}, once the grid member has joined and the metrics exist. */
    public void serveMetrics(GatewayMetrics gatewayMetrics) {
        metrics.set(new ScrapeHandler(gatewayMetrics));
    }

    /** Opens {@code GET /admin/overview}, the dashboard's data, once the grid member has joined. */
    public void serveOverview(OverviewHandlers handlers) {
        overview.set(handlers);
    }

    /** Every endpoint served, as {@code METHOD /path/{param}}, in registration order. */
    public List<String> endpoints() {
        return routes.endpoints();
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
