package io.gridgate.node.routing;

import io.undertow.util.AttachmentKey;

/**
 * The outcome of matching a request to a route: which route, which target, the path to send
 * upstream and the API version the request asked for ({@code null} when the route is unversioned).
 */
public record RouteMatch(Route route, Target target, String upstreamPath, String version) {

    /** Where the matched route travels with the exchange, for every later handler. */
    public static final AttachmentKey<RouteMatch> KEY = AttachmentKey.create(RouteMatch.class);
}
