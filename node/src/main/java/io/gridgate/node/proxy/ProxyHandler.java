package io.gridgate.node.proxy;

import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.routing.RouteMatch;
import io.gridgate.node.upstream.Endpoint;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;

/**
 * Sends the matched request to an endpoint of its route's upstream and streams the response back.
 * The last handler of the pipeline: it never calls a next handler.
 */
public final class ProxyHandler implements HttpHandler {

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        RouteMatch match = exchange.getAttachment(RouteMatch.KEY);
        Endpoint endpoint = match.target().upstream().choose(exchange);
        if (endpoint == null) {
            LocalReply.send(exchange, Reason.NO_HEALTHY_UPSTREAM,
                    "no healthy endpoint of upstream " + match.target().upstream().name());
            return;
        }
        // dispatch() keeps the exchange open after this method returns; the call runs right after,
        // on this same I/O thread, and ends the exchange itself.
        exchange.dispatch(SameThreadExecutor.INSTANCE, new ProxyCall(exchange, match, endpoint));
    }
}
