package io.gridgate.node.routing;

/** What the route table says about a request. */
public sealed interface RouteLookup {

    /** A route takes the request. */
    record Found(RouteMatch match) implements RouteLookup {
    }

    /** No route matches host, path, headers and query. */
    record NotFound() implements RouteLookup {
    }

    /** Routes match everything but the method; {@code allow} lists the methods they accept. */
    record MethodNotAllowed(String allow) implements RouteLookup {
    }

    /** A versioned route matches but serves no such version (or the request named none, with no default). */
    record UnknownVersion(String routeId, String requested, String available) implements RouteLookup {
    }

    NotFound NOT_FOUND = new NotFound();
}
