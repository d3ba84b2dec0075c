package io.gridgate.node;

import io.gridgate.cluster.Grid;
import io.gridgate.cluster.GridSettings;
import io.gridgate.node.accesslog.AccessLog;
import io.gridgate.node.accesslog.QueryRedaction;
import io.gridgate.node.admin.AdminServer;
import io.gridgate.node.admin.Readiness;
import io.gridgate.node.config.AuthConfig;
import io.gridgate.node.config.ClusterConfig;
import io.gridgate.node.config.ConfigException;
import io.gridgate.node.config.ConfigSeed;
import io.gridgate.node.config.GatewayConfig;
import io.gridgate.node.admin.ConfigHandlers;
import io.gridgate.node.metrics.GatewayMetrics;
import io.gridgate.node.tracing.Tracing;
import io.gridgate.node.pipeline.DrainHandler;
import io.gridgate.node.pipeline.Pipeline;
import io.gridgate.node.pipeline.Snapshot;
import io.gridgate.node.routing.RouteTable;
import io.gridgate.node.routing.Router;
import io.gridgate.node.admin.RegistryHandlers;
import io.gridgate.node.admin.BreakerHandlers;
import io.gridgate.node.admin.CacheHandlers;
import io.gridgate.node.admin.OverviewHandlers;
import io.gridgate.node.admin.RateLimitHandlers;
import io.gridgate.node.auth.Authenticators;
import io.gridgate.node.resilience.Breakers;
import io.gridgate.node.upstream.Endpoint;
import io.gridgate.node.upstream.HealthProber;
import io.gridgate.node.upstream.Upstreams;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
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
    private final LiveConfig live;
    private final Breakers breakers;
    private final Upstreams upstreams;
    private final AtomicReference<HealthProber> prober;
    private final Router router;
    private final DrainHandler inFlight;
    private final TrafficServer traffic;
    /** Null when tracing is off. */
    private final Tracing tracing;
    /** Null when the access log is off. */
    private final AccessLog accessLog;
    private boolean stopped;

    private GatewayNode(GatewayConfig config, Readiness readiness, AdminServer admin, Grid grid, LiveConfig live,
                        Breakers breakers, Upstreams upstreams,
                        AtomicReference<HealthProber> prober, Router router, DrainHandler inFlight,
                        TrafficServer traffic, Tracing tracing, AccessLog accessLog) {
        this.config = config;
        this.readiness = readiness;
        this.admin = admin;
        this.grid = grid;
        this.live = live;
        this.breakers = breakers;
        this.upstreams = upstreams;
        this.prober = prober;
        this.router = router;
        this.inFlight = inFlight;
        this.traffic = traffic;
        this.tracing = tracing;
        this.accessLog = accessLog;
    }

    /**
     * Starts a node whose grid member joins the cluster its config describes.
     *
     * @param seed the file's shared sections, which become the cluster's first configuration when
     *     neither the grid nor this node's disk holds one
     */
    public static GatewayNode start(GatewayConfig config, ConfigSeed seed) {
        return start(config, seed, Grid::start);
    }

    /** Starts a node with a given way to start its grid member (tests use in-JVM members). */
    public static GatewayNode start(GatewayConfig fileConfig, ConfigSeed seed, Function<GridSettings, Grid> gridStarter) {
        Readiness readiness = new Readiness();
        AdminServer admin = AdminServer.start(fileConfig.admin(), readiness);
        Grid grid = null;
        LiveConfig live = null;
        Upstreams upstreams = null;
        Breakers breakers = null;
        Authenticators authenticators = null;
        Tracing tracing = null;
        AccessLog accessLog = null;
        AtomicReference<HealthProber> prober = new AtomicReference<>();
        AtomicReference<Upstreams.Lease> lease = new AtomicReference<>();
        Clock clock = Clock.systemUTC();
        try {
            grid = gridStarter.apply(gridSettings(fileConfig.cluster()));
            try {
                live = LiveConfig.start(fileConfig, seed, grid.config(), clock, System.getenv());
            } catch (ConfigException e) {
                throw new IllegalStateException("the cluster's shared configuration does not validate on this node:\n"
                        + e.getMessage(), e);
            }
            GatewayConfig config = live.config();
            LiveConfig running = live;
            breakers = Breakers.shared(grid.breakers(), grid.localMemberId(), clock);
            upstreams = new Upstreams(grid.registry(), config.cluster().zone(), clock, breakers,
                    task -> running.later(running.config().server().drainTimeout(), task));
            lease.set(upstreams.lease());
            prober.set(new HealthProber(grid.registry(), config.services().values(), clock));
            admin.serveRegistry(new RegistryHandlers(grid.registry(), config.admin().registrationToken(), clock));
            admin.serveBreakers(new BreakerHandlers(breakers, grid.breakers(), grid.localMemberId(), config.admin().token()));
            admin.serveCache(new CacheHandlers(grid.cache(), config.admin().token()));
            admin.serveConfig(new ConfigHandlers(live, grid.config(), grid.apiKeys(), grid::members, grid.localMemberId(),
                    config.admin().token(), System.getenv()));
            GatewayMetrics metrics = GatewayMetrics.create(grid, breakers, clock);
            admin.serveMetrics(metrics);
            authenticators = Authenticators.start(config.auth(), grid.apiKeys(), clock);
            Router router = new Router(new Snapshot(running.running().version().version(), routeTable(config, lease.get()),
                    authenticators));
            admin.serveOverview(new OverviewHandlers(grid, router, breakers, metrics, clock, config.admin().token()));
            admin.serveRateLimits(new RateLimitHandlers(grid.rateLimiter(), router, config.admin().token()));
            tracing = Tracing.start(config.tracing());
            if (tracing != null) {
                metrics.observeTracing(tracing::spansNotExported, tracing::spansDropped);
            }
            accessLog = AccessLog.start(config.accessLog(), QueryRedaction.of(credentialParameters(config.auth())));
            if (accessLog != null) {
                metrics.observeAccessLog(accessLog::dropped);
            }
            Grid joined = grid;
            ClusterSize clusterSize = new ClusterSize(config.cluster().expectedMembers(),
                    config.cluster().expectedMembersGrace(), joined::memberCount, clock, running::later);
            joined.onMembershipChange(clusterSize::membershipChanged);
            clusterSize.membershipChanged();
            metrics.observeCluster(config.cluster().expectedMembers(), clusterSize::belowExpected,
                    () -> running.running().version().version());
            metrics.observeConfigApplyFailures(running::applyFailures);
            metrics.observeConfigDisk(running::diskWriteFailures, running::versionOnDisk);
            DrainHandler inFlight = new DrainHandler(Pipeline.build(router, grid, config.server(), metrics, tracing,
                    accessLog));
            TrafficServer traffic = TrafficServer.start(config.server(), inFlight);
            Upstreams pools = upstreams;
            AccessLog lines = accessLog;
            live.follow((previous, next) -> {
                swap(previous, next, router, pools, lease, prober, joined, clock, running);
                if (lines != null) {
                    lines.redact(QueryRedaction.of(credentialParameters(next.config().auth())));
                }
            });
            // A healed split keeps one side's entries without an entry event, and a membership change
            // can follow one: either may leave this node running a document the grid no longer holds.
            joined.onMembershipChange(running::resync);
            joined.onMerge(running::resync);
            // No configuration check: the node does not get here without a version to run, and one
            // that fails to apply leaves it serving the version before; taking it out of rotation then
            // would turn a version no node can apply into an outage (the failure shows in the metrics
            // and the cluster view instead).
            readiness.check("gridJoined", joined::isJoined).check("clusterSize", clusterSize::ready);
            readiness.started();
            LOG.info(() -> "Gridgate listening on " + config.server().bindAddress() + ":" + traffic.port()
                    + ", admin on " + config.admin().bindAddress() + ":" + admin.port()
                    + ", " + config.routes().size() + " routes, " + joined.memberCount() + " cluster members"
                    + ", shared configuration version " + running.running().version().version());
            return new GatewayNode(config, readiness, admin, grid, live, breakers, upstreams, prober,
                    router, inFlight, traffic, tracing, accessLog);
        } catch (RuntimeException e) {
            if (live != null) {
                live.close();
            }
            if (prober.get() != null) {
                prober.get().close();
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

    /**
     * Puts a new shared configuration in force: what it changed is built first, then everything a
     * request reads is swapped in with one write (see {@link Snapshot}). A request keeps the version it
     * started with; what a version replaced is closed once the requests that may still use it are done.
     */
    private static void swap(LiveConfig.Running previous, LiveConfig.Running next, Router router, Upstreams upstreams,
                             AtomicReference<Upstreams.Lease> lease, AtomicReference<HealthProber> prober, Grid grid,
                             Clock clock, LiveConfig live) {
        GatewayConfig before = previous.config();
        GatewayConfig after = next.config();
        Authenticators oldAuth = router.snapshot().authenticators();
        Upstreams.Lease newLease = upstreams.lease();
        RouteTable table;
        Authenticators newAuth;
        HealthProber newProber;
        try {
            table = routeTable(after, newLease);
            newAuth = before.auth().equals(after.auth()) ? oldAuth
                    : Authenticators.start(after.auth(), grid.apiKeys(), clock);
            newProber = before.services().equals(after.services()) ? null
                    : new HealthProber(grid.registry(), after.services().values(), clock);
        } catch (RuntimeException e) {
            // This version will serve nothing: what only it took can go at once.
            newLease.close();
            throw e;
        }
        router.replace(new Snapshot(next.version().version(), table, newAuth));
        if (newProber != null) {
            prober.getAndSet(newProber).close();
        }
        if (newAuth != oldAuth) {
            live.later(after.server().drainTimeout(), oldAuth::close);
        }
        // Closes the pools only the replaced version used; what the new one shares stays open.
        live.later(after.server().drainTimeout(), lease.getAndSet(newLease)::close);
    }

    /** Compiles {@code config}'s routes with its own service settings, taking their upstreams through {@code lease}. */
    private static RouteTable routeTable(GatewayConfig config, Upstreams.Lease lease) {
        return RouteTable.compile(config.routes(), (upstream, route) -> lease.forRoute(upstream, route, config::service));
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

    /** The upstream endpoints, with their pools, that this node keeps for the versions it may still serve. */
    public List<Endpoint> upstreamEndpoints() {
        return upstreams.endpoints();
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

    /** The shared configuration this node runs, and its version. */
    public LiveConfig liveConfig() {
        return live;
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
        live.close();
        upstreams.close();
        traffic.stop();
        prober.get().close();
        breakers.close();
        router.snapshot().authenticators().close();
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
