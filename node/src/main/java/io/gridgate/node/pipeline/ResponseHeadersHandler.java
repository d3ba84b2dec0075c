package io.gridgate.node.pipeline;

import io.gridgate.node.routing.Route;
import io.gridgate.node.routing.RouteMatch;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;

/**
 * Finishes every response head when it is committed, whoever wrote it (an upstream, a fallback, a
 * {@link LocalReply}): the server's {@code responseHeaders}, then the matched route's, then the
 * route's CORS headers for an actual request. Committing is the one moment every kind of response
 * passes through, after the proxy has copied the upstream's headers and after a local reply has
 * reset them. One shared listener, registered per request; nothing else is allocated.
 */
public final class ResponseHeadersHandler implements HttpHandler {

    private final ResponseCommitListener finish;
    private final HttpHandler next;

    public ResponseHeadersHandler(ResponseHeaders server, HttpHandler next) {
        this.finish = exchange -> finish(server, exchange);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.addResponseCommitListener(finish);
        next.handleRequest(exchange);
    }

    private static void finish(ResponseHeaders server, HttpServerExchange exchange) {
        HeaderMap headers = exchange.getResponseHeaders();
        server.applyTo(headers);
        RouteMatch match = exchange.getAttachment(RouteMatch.KEY);
        if (match == null) {
            return;
        }
        Route route = match.route();
        route.responseHeaders().applyTo(headers);
        // A preflight's answer (or refusal) is complete as CorsHandler wrote it.
        if (route.cors() != null && !match.isPreflight()) {
            route.cors().applyTo(headers, exchange.getRequestHeaders().getFirst(Headers.ORIGIN));
        }
    }
}
