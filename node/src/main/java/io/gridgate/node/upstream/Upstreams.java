package io.gridgate.node.upstream;

import io.gridgate.cluster.InstanceState;
import io.gridgate.cluster.ServiceRegistry;
import io.gridgate.node.config.LoadBalancerConfig;
import io.gridgate.node.config.PoolConfig;
import io.gridgate.node.config.RouteConfig;
import io.gridgate.node.config.ServiceConfig;
import io.gridgate.node.resilience.Breakers;
import io.gridgate.node.resilience.RetryBudget;
import org.xnio.OptionMap;
import org.xnio.Xnio;
import org.xnio.ssl.XnioSsl;
import io.undertow.protocols.ssl.UndertowXnioSsl;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Creates the upstreams that routes name, and shares what can be shared: one endpoint (one pool)
 * per scheme, host, port and pool settings, and one service upstream (one candidate set, one
 * outlier detector) per service, pool and balancing settings. Each version of the configuration
 * takes its upstreams through a {@link Lease}; what no open lease still holds is closed when one is
 * released, so settings changed or routes removed do not leave pools and connections behind. Nor
 * do instances that leave a service's registry view: their endpoints close a drain later, unless
 * they are listed again by then.
 */
public final class Upstreams implements AutoCloseable {

    /**
     * Guards every compound change of the maps and the leases: without it a release could close an
     * endpoint a lease or a service upstream was taking at that moment.
     */
    private final Object lock = new Object();
    private final Map<Key, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<ServiceKey, ServiceUpstream> services = new ConcurrentHashMap<>();
    /**
     * The endpoints a service's instances got, per service and pool: kept by every service upstream
     * with that pool, so retuning a service's breaker or budget keeps its warm connections.
     */
    private final Map<ServicePool, Set<Key>> handedOut = new ConcurrentHashMap<>();
    // Keyed by settings too: a configuration change that retunes a service gets fresh ones, while
    // requests of the previous route table finish with what they had.
    private final Map<Tuned, OutlierDetector> outliers = new ConcurrentHashMap<>();
    private final Map<Tuned, RetryBudget> budgets = new ConcurrentHashMap<>();
    private final List<Lease> leases = new ArrayList<>();
    /**
     * The endpoints handed out for instances that no service's registry view lists any more, each
     * with the token of its pending close; an instance listed again takes its token away, so a close
     * scheduled for an earlier departure leaves it alone. Guarded by {@code lock}.
     */
    private final Map<Key, Object> departed = new HashMap<>();
    private final Consumer<Runnable> afterDrain;
    /** For callers that never release what they take: it is held until {@link #close()}. */
    private final Lease unreleased;
    private final Breakers breakers;
    private final XnioSsl ssl;
    private final ServiceRegistry registry;
    private final Optional<String> zone;
    private final Clock clock;

    /** Upstreams for static URLs only, with no registry behind them and breakers of their own. */
    public Upstreams() {
        this(null, Optional.empty(), Clock.systemUTC(), Breakers.local(Clock.systemUTC()), Runnable::run);
    }

    /**
     * @param zone this node's zone, for zone-aware balancing
     * @param breakers where each upstream's circuit breaker comes from
     * @param afterDrain runs a task once the requests that may have picked an endpoint are done (the
     *     node's drain timeout later): when a departed instance's endpoint is closed
     */
    public Upstreams(ServiceRegistry registry, Optional<String> zone, Clock clock, Breakers breakers,
                     Consumer<Runnable> afterDrain) {
        this.breakers = breakers;
        this.afterDrain = afterDrain;
        this.registry = registry;
        this.zone = zone;
        this.clock = clock;
        try {
            this.ssl = new UndertowXnioSsl(Xnio.getInstance(), OptionMap.EMPTY, SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM offers no default TLS context", e);
        }
        this.unreleased = lease();
        if (registry != null) {
            // One subscription for all service upstreams: the registry has no way to unsubscribe,
            // so one per upstream would keep every replaced upstream reachable forever.
            registry.onChange(() -> {
                noteDepartures();
                services.values().forEach(ServiceUpstream::registryChanged);
            });
        }
    }

    /** A new lease, for the upstreams of one version's route table. */
    public Lease lease() {
        synchronized (lock) {
            Lease lease = new Lease();
            leases.add(lease);
            return lease;
        }
    }

    /** Like {@link Lease#forUrl}, held until these upstreams close. */
    public Upstream forUrl(URI url, PoolConfig pool, Function<String, ServiceConfig> tuning) {
        return unreleased.forUrl(url, pool, tuning);
    }

    /**
     * What one version's route table took from these upstreams. Released once the requests that may
     * still use that version are done; then everything that no open lease holds, nor any service
     * upstream one holds has handed out, is closed and forgotten. A lease that takes what another
     * holds gets the same object, so settings that a new version keeps keep their warm pools.
     */
    public final class Lease implements AutoCloseable {

        /** Keys of what this lease took; guarded by {@code lock}. */
        private final Set<Object> held = new HashSet<>();

        private Lease() {
        }

        /**
         * The upstream a route names: {@code service:NAME} or an {@code http(s)://} URL.
         *
         * @param tuning the service settings of the version whose routes are being compiled; passed in,
         *     not read from the version in force, because that is still the previous one while they compile
         */
        public Upstream forRoute(String upstream, RouteConfig route, Function<String, ServiceConfig> tuning) {
            if (upstream.startsWith(RouteConfig.SERVICE_PREFIX)) {
                return forService(upstream.substring(RouteConfig.SERVICE_PREFIX.length()), route.pool(),
                        route.loadBalancer(), tuning);
            }
            return forUrl(URI.create(upstream), route.pool(), tuning);
        }

        /**
         * The upstream for an absolute {@code http(s)://host[:port]} URL; its path is the route's
         * business. Its breaker and retry budget are named by its {@code host:port}, under which
         * {@code tuning} gives their settings.
         */
        public Upstream forUrl(URI url, PoolConfig pool, Function<String, ServiceConfig> tuning) {
            synchronized (lock) {
                Key key = key(url, pool);
                held.add(key);
                Endpoint endpoint = endpoint(key);
                ServiceConfig settings = tuning.apply(endpoint.authority());
                return new StaticUpstream(endpoint, breakers.breaker(endpoint.authority(), settings.circuitBreaker()),
                        budget(endpoint.authority(), settings));
            }
        }

        private RetryBudget budget(String name, ServiceConfig settings) {
            Tuned key = new Tuned(name, settings.retryBudget());
            held.add(key);
            return budgets.computeIfAbsent(key, n -> RetryBudget.of(settings.retryBudget()));
        }

        private Upstream forService(String service, PoolConfig pool, LoadBalancerConfig balancing,
                                    Function<String, ServiceConfig> tuning) {
            if (registry == null) {
                throw new IllegalStateException("service upstreams need a registry");
            }
            ServiceConfig settings = tuning.apply(service);
            synchronized (lock) {
                ServiceKey key = new ServiceKey(service, pool, balancing, settings);
                ServicePool instances = new ServicePool(service, pool);
                Tuned outlierKey = new Tuned(service, settings.outlierDetection());
                held.add(key);
                held.add(instances);
                held.add(outlierKey);
                RetryBudget budget = budget(service, settings);
                return services.computeIfAbsent(key, k -> new ServiceUpstream(service, registry,
                        uri -> serviceEndpoint(uri, instances), balancing, zone, clock,
                        outliers.computeIfAbsent(outlierKey, tuned ->
                                new OutlierDetector(service, settings.outlierDetection(), registry, clock)),
                        breakers.breaker(service, settings.circuitBreaker()), budget));
            }
        }

        /** Closes what no other open lease holds. */
        @Override
        public void close() {
            release(this);
        }
    }

    /** The endpoint of a service's instance; recorded, so it stays open while the service and pool are held. */
    private Endpoint serviceEndpoint(URI url, ServicePool instances) {
        synchronized (lock) {
            Key key = key(url, instances.pool());
            handedOut.computeIfAbsent(instances, k -> ConcurrentHashMap.newKeySet()).add(key);
            return endpoint(key);
        }
    }

    /**
     * Schedules the close of each handed-out endpoint whose instance the registry view no longer
     * lists, and cancels it for one listed again. Runs on every view change, heartbeat syncs
     * included, so a departure is seen within the registry's sync interval.
     */
    private void noteDepartures() {
        synchronized (lock) {
            Set<Key> listed = listed();
            for (Set<Key> keys : handedOut.values()) {
                for (Key key : keys) {
                    if (listed.contains(key)) {
                        departed.remove(key);
                    } else if (!departed.containsKey(key)) {
                        Object token = new Object();
                        departed.put(key, token);
                        afterDrain.accept(() -> closeDeparted(key, token));
                    }
                }
            }
        }
    }

    /** The endpoint keys of every instance the registry view lists for a held service and pool. */
    private Set<Key> listed() {
        Set<Key> listed = new HashSet<>();
        for (ServicePool instances : handedOut.keySet()) {
            for (InstanceState state : registry.instances(instances.service())) {
                listed.add(key(ServiceUpstream.uri(state.instance()), instances.pool()));
            }
        }
        return listed;
    }

    private void closeDeparted(Key key, Object token) {
        Endpoint closing;
        synchronized (lock) {
            // The view may list the instance again before the listener that would cancel this has run.
            if (!departed.remove(key, token) || listed().contains(key)) {
                return;
            }
            handedOut.values().forEach(keys -> keys.remove(key));
            if (leases.stream().anyMatch(lease -> lease.held.contains(key))) {
                return;
            }
            closing = endpoints.remove(key);
        }
        if (closing != null) {
            // A candidate set built from a view read just before the departure may still hold it.
            services.values().forEach(ServiceUpstream::registryChanged);
            closing.close();
        }
    }

    private static Key key(URI url, PoolConfig pool) {
        return new Key(URI.create(url.getScheme() + "://" + url.getHost() + ":" + Endpoint.port(url)), pool);
    }

    private Endpoint endpoint(Key key) {
        return endpoints.computeIfAbsent(key, k -> new Endpoint(k.origin(), k.pool(), ssl));
    }

    private void release(Lease lease) {
        List<Endpoint> closing = new ArrayList<>();
        synchronized (lock) {
            if (!leases.remove(lease)) {
                return;
            }
            Set<Object> kept = new HashSet<>();
            for (Lease open : leases) {
                kept.addAll(open.held);
            }
            handedOut.keySet().retainAll(kept);
            handedOut.values().forEach(kept::addAll);
            services.keySet().retainAll(kept);
            outliers.keySet().retainAll(kept);
            budgets.keySet().retainAll(kept);
            departed.keySet().retainAll(kept);
            for (Map.Entry<Key, Endpoint> entry : endpoints.entrySet()) {
                if (!kept.contains(entry.getKey())) {
                    closing.add(entry.getValue());
                    endpoints.remove(entry.getKey());
                }
            }
        }
        // Outside the lock: closing hands each idle connection to its I/O thread, which may be
        // taking an endpoint at this moment.
        closing.forEach(Endpoint::close);
    }

    /** Every endpoint created so far and not yet released, for metrics and tests. */
    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints.values());
    }

    @Override
    public void close() {
        endpoints.values().forEach(Endpoint::close);
        endpoints.clear();
    }

    private record Key(URI origin, PoolConfig pool) {
    }

    private record ServiceKey(String service, PoolConfig pool, LoadBalancerConfig balancing, ServiceConfig settings) {
    }

    private record ServicePool(String service, PoolConfig pool) {
    }

    /** A service's name and one of its settings. */
    private record Tuned(String name, Object settings) {
    }
}
