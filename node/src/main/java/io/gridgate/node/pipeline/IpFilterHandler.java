package io.gridgate.node.pipeline;

import io.gridgate.node.routing.RouteMatch;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Refuses clients whose address {@link IpRules} do not allow, with {@code 403 ip_denied}. The
 * client is the one {@link ClientAddress} resolved (trusted proxies, the rightmost untrusted
 * {@code X-Forwarded-For} hop). Two placements: the server's rules before routing, a cheap reject
 * of clients no route admits; and a route's rules right after its match, before auth and limits.
 */
public final class IpFilterHandler implements HttpHandler {

    private static final String GLOBAL_DENIAL = "the client address may not use this gateway";

    /** The server's rules; {@code null} when this filter applies the matched route's rules. */
    private final IpRules serverRules;
    private final HttpHandler next;

    private IpFilterHandler(IpRules serverRules, HttpHandler next) {
        this.serverRules = serverRules;
        this.next = next;
    }

    /** Applies the server's rules to every request. */
    public static IpFilterHandler server(IpRules rules, HttpHandler next) {
        return new IpFilterHandler(rules, next);
    }

    /** Applies the matched route's rules; runs after route matching. */
    public static IpFilterHandler perRoute(HttpHandler next) {
        return new IpFilterHandler(null, next);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        IpRules rules = serverRules != null ? serverRules : exchange.getAttachment(RouteMatch.KEY).route().ipRules();
        if (rules.isEmpty() || rules.isAllowed(ClientAddress.address(exchange))) {
            next.handleRequest(exchange);
        } else if (serverRules != null) {
            LocalReply.send(exchange, Reason.IP_DENIED, GLOBAL_DENIAL);
        } else {
            LocalReply.send(exchange, Reason.IP_DENIED);
        }
    }
}
