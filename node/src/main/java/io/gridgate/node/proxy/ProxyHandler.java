package io.gridgate.node.proxy;

import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.resilience.Breaker;
import io.gridgate.node.routing.Fallback;
import io.gridgate.node.routing.RouteMatch;
import io.gridgate.node.routing.Target;
import io.gridgate.node.upstream.Upstream;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;

import java.nio.ByteBuffer;

/**
 * Sends the matched request to its route's upstream, through the upstream's circuit breaker, and
 * streams the response back; while the breaker is open it answers with the route's fallback or a
 * 503. The last handler of the pipeline: it never calls a next handler.
 */
public final class ProxyHandler implements HttpHandler {

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        RouteMatch match = exchange.getAttachment(RouteMatch.KEY);
        Upstream upstream = match.target().upstream();
        if (upstream.breaker().tryAcquire()) {
            proxy(exchange, match, upstream);
            return;
        }
        Fallback fallback = match.route().fallback();
        if (fallback instanceof Fallback.Fixed fixed) {
            exchange.putAttachment(LocalReply.REASON, Reason.CIRCUIT_OPEN);
            exchange.setStatusCode(fixed.status());
            fixed.headers().forEach((name, value) -> exchange.getResponseHeaders().put(name, value));
            exchange.setResponseContentLength(fixed.body().length);
            exchange.getResponseSender().send(ByteBuffer.wrap(fixed.body()));
        } else if (fallback instanceof Fallback.Reroute reroute
                && reroute.target().upstream().breaker().tryAcquire()) {
            Target target = reroute.target();
            proxy(exchange, new RouteMatch(match.route(), target, match.upstreamPath(), match.version()), target.upstream());
        } else {
            refuse(exchange, upstream.breaker());
        }
    }

    private static void proxy(HttpServerExchange exchange, RouteMatch match, Upstream upstream) {
        // dispatch() keeps the exchange open after this method returns; the call runs right after,
        // on this same I/O thread, and ends the exchange itself.
        exchange.dispatch(SameThreadExecutor.INSTANCE, new ProxyCall(exchange, match, upstream));
    }

    private static void refuse(HttpServerExchange exchange, Breaker breaker) {
        String message = Reason.CIRCUIT_OPEN.message() + " (upstream " + breaker.name() + ")";
        if (breaker.state().equals("OPEN")) {
            LocalReply.send(exchange, Reason.CIRCUIT_OPEN, message,
                    headers -> headers.put(Headers.RETRY_AFTER, breaker.retryAfterSeconds()));
        } else {
            // Half-open with every probe out, or held open by an operator: no honest time to give.
            LocalReply.send(exchange, Reason.CIRCUIT_OPEN, message);
        }
    }
}
