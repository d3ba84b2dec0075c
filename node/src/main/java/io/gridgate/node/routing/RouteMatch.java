package io.gridgate.node.routing;

import io.undertow.util.AttachmentKey;

/**
 * The outcome of matching a request to a route: which route, which target, the path to send
 * upstream and the API version the request asked for ({@code null} when the route is unversioned).
 * A CORS preflight's match has only the route, whose policy the gateway answers with: no target,
 * since a preflight never goes upstream.
 */
public record RouteMatch(Route route, Target target, String upstreamPath, String version) {

    /** Where the matched route travels with the exchange, for every later handler. */
    public static final AttachmentKey<RouteMatch> KEY = AttachmentKey.create(RouteMatch.class);

    /** The match of a CORS preflight that {@code route}'s policy answers. */
    public static RouteMatch preflight(Route route) {
        return new RouteMatch(route, null, null, null);
    }

    /** Whether this is a CORS preflight the gateway answers itself; every other match has a target. */
    public boolean isPreflight() {
        return target == null && upstreamPath == null;
    }
}
