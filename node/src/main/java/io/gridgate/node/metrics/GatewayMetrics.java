package io.gridgate.node.metrics;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.gridgate.cluster.CacheStats;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.ResponseCache;
import io.gridgate.cluster.ServiceRegistry;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.resilience.Breaker;
import io.gridgate.node.resilience.Breakers;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.undertow.util.HttpString;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * This node's Prometheus metrics: request counts and durations by route, method and status class,
 * local replies by reason, cache results by route, and gauges read at scrape time (cluster members,
 * breaker states, registered instances, the JVM). Every label takes its values from a bounded set:
 * route ids and breaker and service names come from config and registrations, methods and statuses
 * are folded into {@link LabelValues}.
 *
 * <p>Recording is a few lock-free increments: each route's data points are resolved once and kept,
 * so a request costs no label lookup in the client library. Exemplars are off, which spares every
 * increment a look for a current span.
 */
public final class GatewayMetrics {

    /** The label value of requests no route matched. */
    static final String NO_ROUTE = "none";

    /** Classic buckets for a gateway: from a cache hit (0.5 ms) to a slow upstream (10 s). */
    private static final double[] DURATION_BUCKETS =
            {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Grid operations: from an entry processor on this member (tens of µs) to a slow network (1 s). */
    private static final double[] GRID_BUCKETS =
            {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
    private static final int METHODS = LabelValues.METHODS.size();
    private static final int STATUS_CLASSES = LabelValues.STATUS_CLASSES.size();
    private static final List<String> BREAKER_STATES =
            Arrays.stream(CircuitBreaker.State.values()).map(Enum::name).toList();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram durations;
    private final Counter localReplies;
    private final Counter cacheResults;
    private final Histogram upstreamDurations;
    private final Counter rateLimitDecisions;
    private final Histogram gridOperations;
    private final Map<String, DistributionDataPoint[]> operations = new ConcurrentHashMap<>();
    private final Map<String, RouteSeries> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicReferenceArray<DistributionDataPoint>> upstreams = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<CounterDataPoint> replies = new AtomicReferenceArray<>(Reason.values().length);

    private GatewayMetrics() {
        requests = Counter.builder()
                .name("gridgate_requests_total")
                .help("Requests the node answered, by route, method and status class")
                .labelNames("route", "method", "status_class")
                .withoutExemplars()
                .register(registry);
        durations = Histogram.builder()
                .name("gridgate_request_duration_seconds")
                .help("Time from the start of a request to the end of its response")
                .unit(Unit.SECONDS)
                .labelNames("route", "method", "status_class")
                .classicOnly()
                .classicUpperBounds(DURATION_BUCKETS)
                .withoutExemplars()
                .register(registry);
        localReplies = Counter.builder()
                .name("gridgate_local_replies_total")
                .help("Replies the gateway made itself, by reason code")
                .labelNames("reason")
                .withoutExemplars()
                .register(registry);
        cacheResults = Counter.builder()
                .name("gridgate_cache_results_total")
                .help("Response-cache outcomes on caching routes, by route and result (the X-Cache header)")
                .labelNames("route", "result")
                .withoutExemplars()
                .register(registry);
        upstreamDurations = Histogram.builder()
                .name("gridgate_upstream_duration_seconds")
                .help("Time from an exchange's last upstream try to its response head, by upstream and status class"
                        + " (other: no answer)")
                .unit(Unit.SECONDS)
                .labelNames("upstream", "status_class")
                .classicOnly()
                .classicUpperBounds(DURATION_BUCKETS)
                .withoutExemplars()
                .register(registry);
        gridOperations = Histogram.builder()
                .name("gridgate_grid_operation_duration_seconds")
                .help("Time grid operations take, by operation and outcome (ok or failed)")
                .unit(Unit.SECONDS)
                .labelNames("operation", "outcome")
                .classicOnly()
                .classicUpperBounds(GRID_BUCKETS)
                .withoutExemplars()
                .register(registry);
        rateLimitDecisions = Counter.builder()
                .name("gridgate_rate_limit_decisions_total")
                .help("Requests on rate-limited routes, by route and decision (allowed or denied)")
                .labelNames("route", "decision")
                .withoutExemplars()
                .register(registry);
    }

    /**
     * The metrics of a node whose grid member has joined; the gauges read {@code grid}'s member count,
     * {@code breakers} and the local view of the registry, judging liveness by {@code clock}.
     */
    public static GatewayMetrics create(Grid grid, Breakers breakers, Clock clock) {
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.gauges(grid::memberCount, breakers::all, grid.registry(), clock);
        metrics.cacheGauges(grid.cache());
        grid.observeOperations(metrics::recordGridOperation);
        JvmMetrics.builder().register(metrics.registry);
        return metrics;
    }

    /** Counts the spans the trace exporter could not deliver (a collector down or refusing them) and those a full queue dropped. */
    public void observeTracing(LongSupplier spansNotExported, LongSupplier spansDropped) {
        CounterWithCallback.builder()
                .name("gridgate_tracing_spans_not_exported_total")
                .help("Finished spans the OTLP exporter failed to deliver")
                .callback(callback -> callback.call(spansNotExported.getAsLong()))
                .register(registry);
        CounterWithCallback.builder()
                .name("gridgate_tracing_spans_dropped_total")
                .help("Finished spans dropped because the export queue was full")
                .callback(callback -> callback.call(spansDropped.getAsLong()))
                .register(registry);
    }

    /** Shows the expected cluster size, whether the node sees fewer members, and the configuration version it runs. */
    public void observeCluster(int expectedMembers, java.util.function.BooleanSupplier belowExpected,
                               LongSupplier configVersion) {
        GaugeWithCallback.builder()
                .name("gridgate_cluster_expected_members")
                .help("Members the cluster should have (cluster.expectedMembers); 0 when not set")
                .callback(callback -> callback.call(expectedMembers))
                .register(registry);
        GaugeWithCallback.builder()
                .name("gridgate_cluster_below_expected")
                .help("1 while this node has seen fewer members than expected for longer than the grace period")
                .callback(callback -> callback.call(belowExpected.getAsBoolean() ? 1 : 0))
                .register(registry);
        GaugeWithCallback.builder()
                .name("gridgate_config_version")
                .help("The version of the cluster's shared configuration this node runs")
                .callback(callback -> callback.call(configVersion.getAsLong()))
                .register(registry);
    }

    /** Counts the failed attempts to put a shared-configuration version in force, while this node lags behind. */
    public void observeConfigApplyFailures(LongSupplier failures) {
        CounterWithCallback.builder()
                .name("gridgate_config_apply_failures_total")
                .help("Failed attempts to put a version of the shared configuration in force (each retry counts)")
                .callback(callback -> callback.call(failures.getAsLong()))
                .register(registry);
    }

    /**
     * The disk copy of the shared configuration: a version on disk behind {@code gridgate_config_version},
     * or a growing failure count, means a stop of every node would lose changes.
     */
    public void observeConfigDisk(LongSupplier writeFailures, LongSupplier versionOnDisk) {
        CounterWithCallback.builder()
                .name("gridgate_config_disk_write_failures_total")
                .help("Versions of the shared configuration this node could not write to its data directory")
                .callback(callback -> callback.call(writeFailures.getAsLong()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("gridgate_config_disk_version")
                .help("The version of the shared configuration last written to this node's data directory; 0 for none")
                .callback(callback -> callback.call(versionOnDisk.getAsLong()))
                .register(registry);
    }

    /** Counts the access-log lines dropped because the writer's queue was full. */
    public void observeAccessLog(LongSupplier linesDropped) {
        CounterWithCallback.builder()
                .name("gridgate_access_log_dropped_total")
                .help("Access-log lines dropped because the writer's queue was full")
                .callback(callback -> callback.call(linesDropped.getAsLong()))
                .register(registry);
    }

    private void gauges(IntSupplier members, Supplier<List<Breaker>> breakers, ServiceRegistry services, Clock clock) {
        GaugeWithCallback.builder()
                .name("gridgate_cluster_members")
                .help("Members of the cluster this node sees, itself included")
                .callback(callback -> callback.call(members.getAsInt()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("gridgate_breaker_state")
                .help("1 for the state each circuit breaker of this node is in, 0 for the others")
                .labelNames("breaker", "state")
                .callback(callback -> {
                    for (Breaker breaker : breakers.get()) {
                        String current = breaker.state();
                        for (String state : BREAKER_STATES) {
                            callback.call(state.equals(current) ? 1 : 0, breaker.name(), state);
                        }
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("gridgate_registry_instances")
                .help("Live instances of each registered service, in this node's view of the registry")
                .labelNames("service")
                .callback(callback -> {
                    Instant now = clock.instant();
                    services.services().forEach((service, states) -> callback.call(
                            states.stream().filter(state -> state.isLive(now)).count(), service));
                })
                .register(registry);
    }

    /** The grid's response cache on this member, read at scrape time without a grid call. */
    private void cacheGauges(ResponseCache cache) {
        GaugeWithCallback.builder()
                .name("gridgate_cache_entries")
                .help("Cached responses whose primary this member holds, and those in its near cache")
                .labelNames("store")
                .callback(callback -> {
                    CacheStats stats = cache.stats();
                    callback.call(stats.entries(), "grid");
                    callback.call(stats.nearEntries(), "near");
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("gridgate_cache_bytes")
                .help("Heap the cached responses whose primary this member holds take")
                .callback(callback -> callback.call(cache.stats().bytes()))
                .register(registry);
        CounterWithCallback.builder()
                .name("gridgate_cache_evictions_total")
                .help("Cached responses evicted for the heap bound (grid) or the near cache's entry bound (near)")
                .labelNames("store")
                .callback(callback -> {
                    CacheStats stats = cache.stats();
                    callback.call(stats.evictions(), "grid");
                    callback.call(stats.nearEvictions(), "near");
                })
                .register(registry);
    }

    /** Times an exchange's last upstream try, by upstream (a service, or a URL's scheme, host and port). */
    void recordUpstream(String upstream, int status, long nanos) {
        AtomicReferenceArray<DistributionDataPoint> points = upstreams.get(upstream);
        if (points == null) {
            points = upstreams.computeIfAbsent(upstream, u -> new AtomicReferenceArray<>(STATUS_CLASSES));
        }
        int index = LabelValues.statusClass(status);
        DistributionDataPoint point = points.get(index);
        if (point == null) {
            point = upstreamDurations.labelValues(upstream, LabelValues.STATUS_CLASSES.get(index));
            points.set(index, point);
        }
        point.observe(nanos / 1e9);
    }

    /** Times a grid operation; operation names are a fixed set, so is this label. */
    void recordGridOperation(String operation, long nanos, boolean failed) {
        DistributionDataPoint[] points = operations.computeIfAbsent(operation, name -> new DistributionDataPoint[] {
            gridOperations.labelValues(name, "ok"), gridOperations.labelValues(name, "failed")});
        points[failed ? 1 : 0].observe(nanos / 1e9);
    }

    /** Counts a rate-limit decision on a route. */
    void recordRateLimit(String route, boolean allowed) {
        series(route).rateLimit(allowed ? 0 : 1).inc();
    }

    /** The registry the scrape endpoint writes. */
    PrometheusRegistry registry() {
        return registry;
    }

    /** Counts a finished request; {@code route} is the route's id, or {@code null} when none matched. */
    void recordRequest(String route, HttpString method, int status, long nanos) {
        RouteSeries series = series(route);
        int index = LabelValues.method(method) * STATUS_CLASSES + LabelValues.statusClass(status);
        series.requests(index).inc();
        series.duration(index).observe(nanos / 1e9);
    }

    /** Counts a reply the gateway made itself. */
    void recordLocalReply(Reason reason) {
        int index = reason.ordinal();
        CounterDataPoint point = replies.get(index);
        if (point == null) {
            point = localReplies.labelValues(reason.code());
            replies.set(index, point);
        }
        point.inc();
    }

    /** Counts a cache outcome on a caching route; an {@code X-Cache} value the cache does not write is ignored. */
    void recordCacheResult(String route, String xCache) {
        int index = LabelValues.cacheResult(xCache);
        if (index >= 0) {
            series(route).cache(index).inc();
        }
    }

    /**
     * Requests answered since the node started, by route id ({@code none}: no route matched), summed
     * over methods and statuses; read without a scrape, for callers that compute rates.
     */
    public Map<String, Long> requestsByRoute() {
        Map<String, Long> totals = new TreeMap<>();
        routes.forEach((route, series) -> totals.put(route, series.requestCount()));
        return totals;
    }

    private RouteSeries series(String route) {
        String id = route == null ? NO_ROUTE : route;
        RouteSeries series = routes.get(id);
        return series != null ? series : routes.computeIfAbsent(id, RouteSeries::new);
    }

    /**
     * One route's data points, each looked up in the client library the first time it is used. A
     * race resolves the same point twice, which the library answers with the same object.
     */
    private final class RouteSeries {

        private final String route;
        private final AtomicReferenceArray<CounterDataPoint> requestPoints = new AtomicReferenceArray<>(METHODS * STATUS_CLASSES);
        private final AtomicReferenceArray<DistributionDataPoint> durationPoints = new AtomicReferenceArray<>(METHODS * STATUS_CLASSES);
        private final AtomicReferenceArray<CounterDataPoint> cachePoints = new AtomicReferenceArray<>(LabelValues.CACHE_RESULTS.size());
        private final AtomicReferenceArray<CounterDataPoint> rateLimitPoints = new AtomicReferenceArray<>(2);

        RouteSeries(String route) {
            this.route = route;
        }

        CounterDataPoint requests(int index) {
            CounterDataPoint point = requestPoints.get(index);
            if (point == null) {
                point = requests.labelValues(route, method(index), statusClass(index));
                requestPoints.set(index, point);
            }
            return point;
        }

        long requestCount() {
            long count = 0;
            for (int i = 0; i < requestPoints.length(); i++) {
                CounterDataPoint point = requestPoints.get(i);
                count += point == null ? 0 : point.getLongValue();
            }
            return count;
        }

        DistributionDataPoint duration(int index) {
            DistributionDataPoint point = durationPoints.get(index);
            if (point == null) {
                point = durations.labelValues(route, method(index), statusClass(index));
                durationPoints.set(index, point);
            }
            return point;
        }

        CounterDataPoint cache(int index) {
            CounterDataPoint point = cachePoints.get(index);
            if (point == null) {
                point = cacheResults.labelValues(route, LabelValues.CACHE_RESULTS.get(index));
                cachePoints.set(index, point);
            }
            return point;
        }

        CounterDataPoint rateLimit(int index) {
            CounterDataPoint point = rateLimitPoints.get(index);
            if (point == null) {
                point = rateLimitDecisions.labelValues(route, index == 0 ? "allowed" : "denied");
                rateLimitPoints.set(index, point);
            }
            return point;
        }

        private String method(int index) {
            return LabelValues.METHODS.get(index / STATUS_CLASSES);
        }

        private String statusClass(int index) {
            return LabelValues.STATUS_CLASSES.get(index % STATUS_CLASSES);
        }
    }
}
