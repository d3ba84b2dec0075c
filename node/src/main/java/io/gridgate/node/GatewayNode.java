package io.gridgate.node;

import io.gridgate.cluster.Grid;
import io.gridgate.cluster.GridSettings;
import io.gridgate.node.accesslog.AccessLog;
import io.gridgate.node.accesslog.QueryRedaction;
import io.gridgate.node.admin.AdminServer;
import io.gridgate.node.admin.Readiness;
import io.gridgate.node.config.AuthConfig;
import io.gridgate.node.config.ClusterConfig;
import io.gridgate.node.config.GatewayConfig;
import io.gridgate.node.metrics.GatewayMetrics;
import io.gridgate.node.tracing.Tracing;
import io.gridgate.node.pipeline.DrainHandler;
import io.gridgate.node.pipeline.Pipeline;
import io.gridgate.node.routing.RouteTable;
import io.gridgate.node.routing.Router;
import io.gridgate.node.admin.RegistryHandlers;
import io.gridgate.node.admin.BreakerHandlers;
import io.gridgate.node.admin.CacheHandlers;
import io.gridgate.node.admin.RateLimitHandlers;
import io.gridgate.node.auth.Authenticators;
import io.gridgate.node.resilience.Breakers;
import io.gridgate.node.upstream.HealthProber;
import io.gridgate.node.upstream.Upstreams;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One running gateway node: admin listener, grid member, route table and traffic listener, started
 * in that order and stopped in reverse after a bounded drain.
 */
public final class GatewayNode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GatewayNode.class.getName());

    private final GatewayConfig config;
    private final Readiness readiness;
    private final AdminServer admin;
    private final Grid grid;
    private final Breakers breakers;
    private final Authenticators authenticators;
    private final Upstreams upstreams;
    private final HealthProber prober;
    private final Router router;
    private final DrainHandler inFlight;
    private final TrafficServer traffic;
    /** Null when tracing is off. */
    private final Tracing tracing;
    /** Null when the access log is off. */
    private final AccessLog accessLog;
    private boolean stopped;

    private GatewayNode(GatewayConfig config, Readiness readiness, AdminServer admin, Grid grid,
                        Breakers breakers, Authenticators authenticators, Upstreams upstreams, HealthProber prober, Router router, DrainHandler inFlight,
                        TrafficServer traffic, Tracing tracing, AccessLog accessLog) {
        this.config = config;
        this.readiness = readiness;
        this.admin = admin;
        this.grid = grid;
        this.breakers = breakers;
        this.authenticators = authenticators;
        this.upstreams = upstreams;
        this.prober = prober;
        this.router = router;
        this.inFlight = inFlight;
        this.traffic = traffic;
        this.tracing = tracing;
        this.accessLog = accessLog;
    }

    /** Starts a node whose grid member joins the cluster its config describes. */
    public static GatewayNode start(GatewayConfig config) {
        return start(config, Grid::start);
    }

    /** Starts a node with a given way to start its grid member (tests use in-JVM members). */
    public static GatewayNode start(GatewayConfig config, Function<GridSettings, Grid> gridStarter) {
        Readiness readiness = new Readiness();
        AdminServer admin = AdminServer.start(config.admin(), readiness);
        Grid grid = null;
        Upstreams upstreams = null;
        Breakers breakers = null;
        Authenticators authenticators = null;
        Tracing tracing = null;
        AccessLog accessLog = null;
        HealthProber prober = null;
        Clock clock = Clock.systemUTC();
        try {
            grid = gridStarter.apply(gridSettings(config.cluster()));
            breakers = Breakers.shared(grid.breakers(), grid.localMemberId(), clock);
            upstreams = new Upstreams(grid.registry(), config::service, config.cluster().zone(), clock, breakers);
            prober = new HealthProber(grid.registry(), config.services().values(), clock);
            admin.serveRegistry(new RegistryHandlers(grid.registry(), config.admin().registrationToken(), clock));
            admin.serveBreakers(new BreakerHandlers(breakers, grid.breakers(), grid.localMemberId(), config.admin().token()));
            admin.serveCache(new CacheHandlers(grid.cache(), config.admin().token()));
            GatewayMetrics metrics = GatewayMetrics.create(grid, breakers, clock);
            admin.serveMetrics(metrics);
            Router router = new Router(RouteTable.compile(config.routes(), upstreams::forRoute));
            admin.serveRateLimits(new RateLimitHandlers(grid.rateLimiter(), router, config.admin().token()));
            authenticators = Authenticators.start(config.auth(), grid.apiKeys(), clock);
            tracing = Tracing.start(config.tracing());
            if (tracing != null) {
                metrics.observeTracing(tracing::spansNotExported, tracing::spansDropped);
            }
            accessLog = AccessLog.start(config.accessLog(), QueryRedaction.of(credentialParameters(config.auth())));
            if (accessLog != null) {
                metrics.observeAccessLog(accessLog::dropped);
            }
            DrainHandler inFlight = new DrainHandler(Pipeline.build(router, grid, config.server(), authenticators, metrics,
                    tracing, accessLog));
            TrafficServer traffic = TrafficServer.start(config.server(), inFlight);
            Grid joined = grid;
            readiness.check("gridJoined", joined::isJoined).check("configLoaded", () -> true);
            readiness.started();
            LOG.info(() -> "Gridgate listening on " + config.server().bindAddress() + ":" + traffic.port()
                    + ", admin on " + config.admin().bindAddress() + ":" + admin.port()
                    + ", " + config.routes().size() + " routes, " + joined.memberCount() + " cluster members");
            return new GatewayNode(config, readiness, admin, grid, breakers, authenticators, upstreams, prober, router,
                    inFlight, traffic, tracing, accessLog);
        } catch (RuntimeException e) {
            if (prober != null) {
                prober.close();
            }
            if (upstreams != null) {
                upstreams.close();
            }
            if (breakers != null) {
                breakers.close();
            }
            if (authenticators != null) {
                authenticators.close();
            }
            if (tracing != null) {
                tracing.close();
            }
            if (accessLog != null) {
                accessLog.close();
            }
            if (grid != null) {
                grid.close();
            }
            admin.close();
            throw e;
        }
    }

    /** The query parameters auth reads API keys and tokens from, which the access log must not show. */
    private static List<String> credentialParameters(AuthConfig auth) {
        List<String> names = new ArrayList<>();
        auth.apiKeys().query().ifPresent(names::add);
        auth.jwt().stream().map(AuthConfig.JwtIssuer::from)
                .filter(from -> from.kind() == AuthConfig.TokenSource.Kind.QUERY)
                .forEach(from -> names.add(from.name()));
        return names;
    }

    static GridSettings gridSettings(ClusterConfig cluster) {
        return new GridSettings(cluster.name(), cluster.bindAddress(), cluster.port(), cluster.members(),
                cluster.kubernetesServiceDns(), cluster.cacheHeapMegabytes(), cluster.nearCacheEntries());
    }

    public int port() {
        return traffic.port();
    }

    public int tlsPort() {
        return traffic.tlsPort();
    }

    public int adminPort() {
        return admin.port();
    }

    /** Every endpoint of the admin listener, as {@code METHOD /path/{param}}. */
    public List<String> adminEndpoints() {
        return admin.endpoints();
    }

    public Router router() {
        return router;
    }

    /** This node's circuit breakers. */
    public Breakers breakers() {
        return breakers;
    }

    public Grid grid() {
        return grid;
    }

    /**
     * Reports not-ready, stops accepting connections, lets in-flight requests finish for up to the
     * configured drain timeout, then closes the listeners and leaves the cluster.
     *
     * @return true when every in-flight request finished within the drain timeout
     */
    public synchronized boolean drainAndStop() {
        if (stopped) {
            return true;
        }
        stopped = true;
        readiness.draining();
        traffic.stopAccepting();
        inFlight.startDraining();
        boolean drained;
        try {
            drained = inFlight.awaitIdle(config.server().drainTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        LOG.info(drained ? "drained all in-flight requests"
                : "drain timeout reached; closing " + inFlight.inFlight() + " request(s) still in flight");
        // Upstream pools close their connections on the I/O threads, so before those stop.
        upstreams.close();
        traffic.stop();
        prober.close();
        breakers.close();
        authenticators.close();
        if (tracing != null) {
            tracing.close(); // exports the spans of the last requests
        }
        if (accessLog != null) {
            accessLog.close(); // writes the lines of the last requests
        }
        grid.close();
        admin.close();
        return drained;
    }

    @Override
    public void close() {
        drainAndStop();
    }
}
