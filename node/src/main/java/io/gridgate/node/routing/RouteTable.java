package io.gridgate.node.routing;

import io.gridgate.node.config.RouteConfig;
import io.gridgate.node.config.VersionsConfig;
import io.gridgate.node.upstream.Upstream;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * An immutable, compiled set of routes. Matching walks routes from most to least specific (see
 * {@link Route#PRECEDENCE}) and returns the first that holds.
 */
public final class RouteTable {

    /** Turns a validated upstream (a URL or {@code service:NAME}) of a route into the upstream that serves it. */
    @FunctionalInterface
    public interface UpstreamResolver {
        Upstream resolve(String upstream, RouteConfig route);
    }

    private final List<Route> routes;
    private final boolean anyPathVersions;

    private RouteTable(List<Route> routes) {
        this.routes = Route.sorted(routes);
        this.anyPathVersions = routes.stream().anyMatch(r -> r.versioning() != null && r.versioning().readsPath());
    }

    public static RouteTable empty() {
        return new RouteTable(List.of());
    }

    /** Compiles validated route configs; declaration order breaks precedence ties. */
    public static RouteTable compile(List<RouteConfig> configs, UpstreamResolver resolver) {
        List<Parts> parts = new ArrayList<>(configs.size());
        Map<String, Target> primaryTargets = new HashMap<>();
        for (int i = 0; i < configs.size(); i++) {
            Parts compiled = parts(configs.get(i), i, resolver);
            parts.add(compiled);
            primaryTargets.put(compiled.config.id(), compiled.target != null ? compiled.target
                    : compiled.versioning != null ? compiled.versioning.fallbackTarget() : null);
        }
        List<Route> routes = new ArrayList<>(parts.size());
        for (Parts p : parts) {
            Fallback fallback = p.config.fallback().map(f -> f.route().isPresent()
                    ? (Fallback) new Fallback.Reroute(f.route().get(), primaryTargets.get(f.route().get()))
                    : Fallback.Fixed.of(f.status(), f.headers(), f.body())).orElse(null);
            routes.add(new Route(p.config, p.index, p.path, p.target, p.versioning, fallback,
                    p.config.compose().map(c -> Composite.compile(c, p.config, resolver)).orElse(null)));
        }
        return new RouteTable(routes);
    }

    /** What a route is built from, before fallbacks can point at other routes' targets. */
    private record Parts(RouteConfig config, int index, PathPattern path, Target target, Versioning versioning) {
    }

    private static Parts parts(RouteConfig config, int index, UpstreamResolver resolver) {
        PathPattern path = config.match().path().map(PathPattern::exactOrTemplate)
                .or(() -> config.match().pathPrefix().map(PathPattern::prefix))
                .orElse(PathPattern.any());
        Optional<Deprecation> routeDeprecation = Deprecation.of(config.deprecation());
        Target target = config.upstream()
                .map(upstream -> target(upstream, config, routeDeprecation, resolver))
                .orElse(null);
        Versioning versioning = config.versions()
                .map(versions -> versioning(versions, config, routeDeprecation, resolver))
                .orElse(null);
        return new Parts(config, index, path, target, versioning);
    }

    private static Versioning versioning(VersionsConfig versions, RouteConfig route,
                                         Optional<Deprecation> routeDeprecation, UpstreamResolver resolver) {
        Map<String, Target> targets = new LinkedHashMap<>();
        versions.targets().forEach((version, versionTarget) -> {
            Optional<Deprecation> deprecation = Deprecation.of(versionTarget.deprecation()).or(() -> routeDeprecation);
            targets.put(version, target(versionTarget.upstream(), route, deprecation, resolver));
        });
        return new Versioning(versions, targets);
    }

    private static Target target(String upstream, RouteConfig route, Optional<Deprecation> deprecation,
                                 UpstreamResolver resolver) {
        String basePath = "";
        if (!upstream.startsWith(RouteConfig.SERVICE_PREFIX)) {
            String path = URI.create(upstream).getRawPath();
            basePath = path == null ? "" : path;
        }
        return new Target(resolver.resolve(upstream, route), basePath, deprecation);
    }

    /** The routes in the order they are tried. */
    public List<Route> routes() {
        return routes;
    }

    public RouteLookup match(RequestView request) {
        String host = request.host();
        String path = request.path();
        String method = request.method();
        String pathVersion = anyPathVersions ? Versioning.pathVersion(path) : null;
        List<Route> wrongMethod = null;
        for (Route route : routes) {
            if (!route.matchesHost(host)) {
                continue;
            }
            String matchedPath = path;
            String[] captures = null;
            String routePathVersion = null;
            if (pathVersion != null && route.versioning() != null && route.versioning().readsPath()) {
                matchedPath = Versioning.stripPathVersion(path, pathVersion);
                captures = route.path().match(matchedPath);
                routePathVersion = pathVersion;
            }
            if (captures == null) {
                matchedPath = path;
                routePathVersion = null;
                captures = route.path().match(path);
            }
            if (captures == null || !route.matchesHeadersAndQuery(request)) {
                continue;
            }
            if (!route.matchesMethod(method)) {
                if (wrongMethod == null) {
                    wrongMethod = new ArrayList<>(2);
                }
                wrongMethod.add(route);
                continue;
            }
            return resolve(route, request, matchedPath, captures, routePathVersion);
        }
        return wrongMethod == null ? RouteLookup.NOT_FOUND : new RouteLookup.MethodNotAllowed(allow(wrongMethod));
    }

    /**
     * The route whose CORS policy answers a preflight: the one the actual request would take, that
     * is the first in precedence whose host, path, headers and query match and which accepts
     * {@code method}, the method the preflight asks about (as Spring's request-method condition
     * matches preflights); failing that, the first that matches all but the method, so that its
     * policy refuses the method rather than the route answering 405. The API version is not resolved:
     * a preflight carries no header values. {@code null} when no route matches.
     */
    public Route preflightRoute(RequestView request, String method) {
        String host = request.host();
        String path = request.path();
        String pathVersion = anyPathVersions ? Versioning.pathVersion(path) : null;
        Route wrongMethod = null;
        for (Route route : routes) {
            if (!route.matchesHost(host) || !matchesPath(route, path, pathVersion)
                    || !route.matchesHeadersAndQuery(request)) {
                continue;
            }
            if (route.matchesMethod(method)) {
                return route;
            }
            if (wrongMethod == null) {
                wrongMethod = route;
            }
        }
        return wrongMethod;
    }

    private static boolean matchesPath(Route route, String path, String pathVersion) {
        if (pathVersion != null && route.versioning() != null && route.versioning().readsPath()
                && route.path().match(Versioning.stripPathVersion(path, pathVersion)) != null) {
            return true;
        }
        return route.path().match(path) != null;
    }

    private static RouteLookup resolve(Route route, RequestView request, String path, String[] captures,
                                       String pathVersion) {
        if (route.composite() != null) {
            return new RouteLookup.Found(new RouteMatch(route, null, path, null));
        }
        Target target = route.target();
        String version = null;
        if (route.versioning() != null) {
            version = route.versioning().requested(request, pathVersion);
            target = route.versioning().target(version);
            if (target == null) {
                return new RouteLookup.UnknownVersion(route.id(), version, route.versioning().available());
            }
        }
        String upstreamPath = route.rewrite().apply(path, captures, target.basePath());
        return new RouteLookup.Found(new RouteMatch(route, target, upstreamPath, version));
    }

    private static String allow(List<Route> routes) {
        TreeSet<String> methods = new TreeSet<>();
        for (Route route : routes) {
            methods.addAll(route.methods());
        }
        return String.join(", ", methods);
    }
}
