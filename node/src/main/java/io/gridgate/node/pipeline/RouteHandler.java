package io.gridgate.node.pipeline;

import io.gridgate.node.routing.Deprecation;
import io.gridgate.node.routing.ExchangeRequestView;
import io.gridgate.node.routing.Route;
import io.gridgate.node.routing.RouteLookup;
import io.gridgate.node.routing.RouteMatch;
import io.gridgate.node.routing.RouteTable;
import io.gridgate.node.routing.Router;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;

/**
 * Reads the configuration {@link Snapshot} in force, once, and attaches it for the handlers after it;
 * matches the request against its route table and attaches the {@link RouteMatch}; answers
 * 404, 405 or an unknown-version 404 itself. Runs early because auth, limits and caching are per route.
 * A CORS preflight is matched by the method it asks about, for {@link CorsHandler} to answer.
 */
public final class RouteHandler implements HttpHandler {

    private static final HttpString DEPRECATION = new HttpString("Deprecation");
    private static final HttpString SUNSET = new HttpString("Sunset");
    private static final HttpString LINK = new HttpString("Link");

    private final Router router;
    private final HttpHandler next;

    public RouteHandler(Router router, HttpHandler next) {
        this.router = router;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.getRequestMethod().equals(Methods.CONNECT)) {
            // A reverse proxy opens no tunnels: CONNECT would otherwise reach an upstream as "CONNECT /".
            exchange.setPersistent(false);
            LocalReply.send(exchange, Reason.METHOD_NOT_ALLOWED, "CONNECT is not proxied; Gridgate is a reverse proxy");
            return;
        }
        Snapshot snapshot = router.snapshot();
        exchange.putAttachment(Snapshot.KEY, snapshot);
        RouteTable table = snapshot.routes();
        ExchangeRequestView request = new ExchangeRequestView(exchange);
        if (preflight(exchange, table, request)) {
            return;
        }
        RouteLookup lookup = table.match(request);
        if (lookup instanceof RouteLookup.Found found) {
            RouteMatch match = found.match();
            exchange.putAttachment(RouteMatch.KEY, match);
            if (match.target() != null) {
                match.target().deprecation().ifPresent(d -> markDeprecated(exchange.getResponseHeaders(), d));
            } else {
                Deprecation.of(match.route().config().deprecation())
                        .ifPresent(d -> markDeprecated(exchange.getResponseHeaders(), d));
            }
            next.handleRequest(exchange);
        } else if (lookup instanceof RouteLookup.MethodNotAllowed notAllowed) {
            LocalReply.methodNotAllowed(exchange, notAllowed.allow());
        } else if (lookup instanceof RouteLookup.UnknownVersion unknown) {
            String asked = unknown.requested() == null ? "no version" : "version " + unknown.requested();
            LocalReply.send(exchange, Reason.UNKNOWN_VERSION, "route " + unknown.routeId() + " serves API versions "
                    + unknown.available() + "; the request asked for " + asked);
        } else {
            LocalReply.send(exchange, Reason.NO_ROUTE);
        }
    }

    /**
     * Sends a CORS preflight on as a {@link RouteMatch#preflight} when the route the actual request
     * would take has a CORS policy, whatever methods that route accepts; false when it has none, and
     * the {@code OPTIONS} request is routed like any other.
     */
    private boolean preflight(HttpServerExchange exchange, RouteTable table, ExchangeRequestView request)
            throws Exception {
        String method = CorsHandler.preflightMethod(exchange);
        if (method == null) {
            return false;
        }
        Route route = table.preflightRoute(request, method);
        if (route == null || route.cors() == null) {
            return false;
        }
        exchange.putAttachment(RouteMatch.KEY, RouteMatch.preflight(route));
        next.handleRequest(exchange);
        return true;
    }

    private static void markDeprecated(HeaderMap headers, Deprecation deprecation) {
        headers.put(DEPRECATION, deprecation.deprecation());
        deprecation.sunset().ifPresent(sunset -> headers.put(SUNSET, sunset));
        deprecation.link().ifPresent(link -> headers.add(LINK, link));
    }
}
