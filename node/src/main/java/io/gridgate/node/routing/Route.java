package io.gridgate.node.routing;

import io.gridgate.node.cache.CachePolicy;
import io.gridgate.node.cache.CacheRules;
import io.gridgate.node.config.CacheConfig;
import io.gridgate.node.config.RouteConfig;
import io.gridgate.node.pipeline.CorsPolicy;
import io.gridgate.node.pipeline.IpRules;
import io.gridgate.node.pipeline.ResponseHeaders;
import io.gridgate.node.resilience.RetryPolicy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** A route compiled from its config: predicates ready to test, targets resolved to upstreams. */
public final class Route {

    private final RouteConfig config;
    private final int declarationIndex;
    private final HostPattern[] hosts;
    private final PathPattern path;
    private final Set<String> methods;
    private final ValuePredicate[] headers;
    private final ValuePredicate[] query;
    private final Target target;
    private final Versioning versioning;
    private final PathRewrite rewrite;
    private final RetryPolicy retry;
    private final Fallback fallback;
    private final IpRules ipRules;
    private final CorsPolicy cors;
    private final ResponseHeaders responseHeaders;
    private final CachePolicy cache;
    private final Composite composite;
    private final List<RouteClient> clients;
    private final String httpRoute;
    private final java.util.Map<String, String> spanNames;

    Route(RouteConfig config, int declarationIndex, PathPattern path, Target target, Versioning versioning,
          Fallback fallback, Composite composite) {
        this.composite = composite;
        this.clients = config.clients().stream().map(RouteClient::compile).toList();
        this.config = config;
        this.declarationIndex = declarationIndex;
        this.hosts = config.match().hosts().stream().map(HostPattern::of).toArray(HostPattern[]::new);
        this.path = path;
        this.methods = Set.copyOf(config.match().methods());
        this.headers = config.match().headers().stream().map(ValuePredicate::of).toArray(ValuePredicate[]::new);
        this.query = config.match().query().stream().map(ValuePredicate::of).toArray(ValuePredicate[]::new);
        this.target = target;
        this.versioning = versioning;
        this.rewrite = PathRewrite.of(config.rewrite(), path.variables());
        this.retry = RetryPolicy.of(config.retry());
        this.fallback = fallback;
        this.ipRules = IpRules.parse(config.ipRules());
        this.cors = config.cors().map(CorsPolicy::of).orElse(null);
        this.responseHeaders = ResponseHeaders.of(config.responseHeaders());
        this.cache = config.cache().map(Route::cachePolicy).orElse(null);
        this.httpRoute = httpRoute(config);
        this.spanNames = httpRoute == null ? java.util.Map.of() : java.util.Map.of(
                "GET", "GET " + httpRoute, "HEAD", "HEAD " + httpRoute, "POST", "POST " + httpRoute,
                "PUT", "PUT " + httpRoute, "PATCH", "PATCH " + httpRoute, "DELETE", "DELETE " + httpRoute,
                "OPTIONS", "OPTIONS " + httpRoute);
    }

    /** The route's path as written in the config: low-cardinality, as a span's {@code http.route} must be. */
    private static String httpRoute(RouteConfig config) {
        if (config.match().path().isPresent()) {
            return config.match().path().get();
        }
        return config.match().pathPrefix().map(prefix -> prefix.endsWith("/") ? prefix + "*" : prefix + "/*")
                .orElse(null);
    }

    /** The path template for {@code http.route}; null when the route matches no path pattern. */
    public String httpRoute() {
        return httpRoute;
    }

    /**
     * A server span's name, {@code METHOD template}; made once per route for the common methods,
     * since every traced request asks for it.
     */
    public String spanName(String method) {
        String name = spanNames.get(method);
        return name != null ? name : method + " " + httpRoute;
    }

    private static CachePolicy cachePolicy(CacheConfig config) {
        return CachePolicy.of(CacheRules.builder()
                .defaultTtl(config.ttl())
                .cacheableStatuses(config.statuses())
                .maxEntryBytes(config.maxEntryBytes())
                .keyPerConsumer(config.keyPerConsumer())
                .keyHeaders(config.keyHeaders())
                .maxStale(config.maxStale())
                .singleFlightWait(config.singleFlightWait())
                .build());
    }

    /**
     * The values of the route's path variables in the request's path (as routing saw it), by name;
     * empty when the route's path has none. Values are as sent, percent-encoding included.
     */
    public java.util.Map<String, String> pathVariables(io.undertow.server.HttpServerExchange exchange) {
        String[] captures = path.match(new ExchangeRequestView(exchange).path());
        List<String> names = path.variables();
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        for (int i = 0; captures != null && i < names.size() && i < captures.length; i++) {
            values.put(names.get(i), captures[i]);
        }
        return values;
    }

    /** The route's Backend-For-Frontend clients, in the order they are tried. */
    public List<RouteClient> clients() {
        return clients;
    }

    /** The calls of a composite route; {@code null} for a route that proxies. */
    public Composite composite() {
        return composite;
    }

    /** The route's response-cache policy, compiled once; {@code null} when the route does not cache. */
    public CachePolicy cache() {
        return cache;
    }

    /** The route's CORS policy, compiled once; {@code null} when the route has none. */
    public CorsPolicy cors() {
        return cors;
    }

    /** Headers set on and removed from the route's responses, after the server's. */
    public ResponseHeaders responseHeaders() {
        return responseHeaders;
    }

    /** Which client addresses may use this route, after the server's rules; compiled once with the route. */
    public IpRules ipRules() {
        return ipRules;
    }

    /** When and how a failed try is sent again. */
    public RetryPolicy retry() {
        return retry;
    }

    /** What to answer while the upstream's breaker is open; {@code null} for a plain 503. */
    public Fallback fallback() {
        return fallback;
    }

    public String id() {
        return config.id();
    }

    public RouteConfig config() {
        return config;
    }

    /** Methods this route accepts; empty means all. */
    Set<String> methods() {
        return methods;
    }

    boolean matchesHost(String host) {
        if (hosts.length == 0) {
            return true;
        }
        for (HostPattern pattern : hosts) {
            if (pattern.matches(host)) {
                return true;
            }
        }
        return false;
    }

    boolean matchesMethod(String method) {
        return methods.isEmpty() || methods.contains(method);
    }

    boolean matchesHeadersAndQuery(RequestView request) {
        for (ValuePredicate header : headers) {
            if (!header.matches(request.header(header.name()))) {
                return false;
            }
        }
        for (ValuePredicate parameter : query) {
            if (!parameter.matches(request.query(parameter.name()))) {
                return false;
            }
        }
        return true;
    }

    PathPattern path() {
        return path;
    }

    Target target() {
        return target;
    }

    Versioning versioning() {
        return versioning;
    }

    PathRewrite rewrite() {
        return rewrite;
    }

    /**
     * Most specific first: host (exact over wildcard over any), then path (exact over template over
     * prefix, longer over shorter), then a method list, then more header and query predicates; ties
     * keep declaration order.
     */
    static final Comparator<Route> PRECEDENCE = Comparator
            .comparingInt((Route r) -> -r.hostSpecificity())
            .thenComparingLong(r -> -r.path.specificity())
            .thenComparingInt(r -> r.methods.isEmpty() ? 1 : 0)
            .thenComparingInt(r -> -(r.headers.length + r.query.length))
            .thenComparingInt(r -> r.declarationIndex);

    private int hostSpecificity() {
        return Arrays.stream(hosts).mapToInt(HostPattern::specificity).max().orElse(0);
    }

    @Override
    public String toString() {
        return "Route[" + id() + "]";
    }

    static List<Route> sorted(List<Route> routes) {
        return routes.stream().sorted(PRECEDENCE).toList();
    }
}
