package io.gridgate.node.upstream;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Creates the upstreams that routes name, and shares what can be shared: one endpoint (one pool)
 * per scheme, host, port and pool settings, and one service upstream (one candidate set, one
 * outlier detector) per service, pool and balancing settings.
 */
public final class Upstreams implements AutoCloseable {

    private final Map<Key, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<ServiceKey, ServiceUpstream> services = new ConcurrentHashMap<>();
    // Keyed by settings too: a configuration change that retunes a service gets fresh ones, while
    // requests of the previous route table finish with what they had.
    private final Map<Tuned, OutlierDetector> outliers = new ConcurrentHashMap<>();
    private final Map<Tuned, RetryBudget> budgets = new ConcurrentHashMap<>();
    private final Breakers breakers;
    private final XnioSsl ssl;
    private final ServiceRegistry registry;
    private final Optional<String> zone;
    private final Clock clock;

    /** Upstreams for static URLs only, with no registry behind them and breakers of their own. */
    public Upstreams() {
        this(null, Optional.empty(), Clock.systemUTC(), Breakers.local(Clock.systemUTC()));
    }

    /**
     * @param zone this node's zone, for zone-aware balancing
     * @param breakers where each upstream's circuit breaker comes from
     */
    public Upstreams(ServiceRegistry registry, Optional<String> zone, Clock clock, Breakers breakers) {
        this.breakers = breakers;
        this.registry = registry;
        this.zone = zone;
        this.clock = clock;
        try {
            this.ssl = new UndertowXnioSsl(Xnio.getInstance(), OptionMap.EMPTY, SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM offers no default TLS context", e);
        }
    }

    /**
     * The upstream a route names: {@code service:NAME} or an {@code http(s)://} URL.
     *
     * @param tuning the service settings of the version whose routes are being compiled; passed in,
     *     not read from the version in force, because that is still the previous one while they compile
     */
    public Upstream forRoute(String upstream, RouteConfig route, Function<String, ServiceConfig> tuning) {
        if (upstream.startsWith(RouteConfig.SERVICE_PREFIX)) {
            return forService(upstream.substring(RouteConfig.SERVICE_PREFIX.length()), route.pool(), route.loadBalancer(),
                    tuning);
        }
        return forUrl(URI.create(upstream), route.pool(), tuning);
    }

    /**
     * The upstream for an absolute {@code http(s)://host[:port]} URL; its path is the route's
     * business. Its breaker and retry budget are named by its {@code host:port}, under which
     * {@code tuning} gives their settings.
     */
    public Upstream forUrl(URI url, PoolConfig pool, Function<String, ServiceConfig> tuning) {
        Endpoint endpoint = endpoint(url, pool);
        ServiceConfig settings = tuning.apply(endpoint.authority());
        return new StaticUpstream(endpoint, breakers.breaker(endpoint.authority(), settings.circuitBreaker()),
                budget(endpoint.authority(), settings));
    }

    private RetryBudget budget(String name, ServiceConfig settings) {
        return budgets.computeIfAbsent(new Tuned(name, settings.retryBudget()), n -> RetryBudget.of(settings.retryBudget()));
    }

    private Upstream forService(String service, PoolConfig pool, LoadBalancerConfig balancing,
                                Function<String, ServiceConfig> tuning) {
        if (registry == null) {
            throw new IllegalStateException("service upstreams need a registry");
        }
        ServiceConfig settings = tuning.apply(service);
        return services.computeIfAbsent(new ServiceKey(service, pool, balancing, settings), key -> new ServiceUpstream(
                service, registry, uri -> endpoint(uri, pool), balancing, zone, clock,
                outliers.computeIfAbsent(new Tuned(service, settings.outlierDetection()), tuned ->
                        new OutlierDetector(service, settings.outlierDetection(), registry, clock)),
                breakers.breaker(service, settings.circuitBreaker()), budget(service, settings)));
    }

    private Endpoint endpoint(URI url, PoolConfig pool) {
        URI origin = URI.create(url.getScheme() + "://" + url.getHost() + ":" + Endpoint.port(url));
        return endpoints.computeIfAbsent(new Key(origin, pool), k -> new Endpoint(k.origin(), k.pool(), ssl));
    }

    /** Every endpoint created so far, for metrics and tests. */
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

    /** A service's name and one of its settings. */
    private record Tuned(String name, Object settings) {
    }
}
