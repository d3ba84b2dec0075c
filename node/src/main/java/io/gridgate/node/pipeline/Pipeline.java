package io.gridgate.node.pipeline;

import io.gridgate.cluster.Grid;
import io.gridgate.node.proxy.ProxyHandler;
import io.gridgate.node.ratelimit.ConcurrencyHandler;
import io.gridgate.node.ratelimit.RateLimitHandler;
import io.gridgate.node.routing.Router;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;

/**
 * Builds the request pipeline, the one place that decides handler order:
 * <pre>
 * error guard -> client address -> route match -> rate limit -> concurrency limit -> 100-continue -> proxy
 * </pre>
 * Later stages (tracing, access log, IP filter, auth, rate limit, cache) slot in here in the order
 * the architecture gives.
 */
public final class Pipeline {

    private Pipeline() {
    }

    public static HttpHandler build(Router router, Grid grid, IpRanges trustedProxies) {
        HttpHandler upstream = new HttpContinueReadHandler(new ProxyHandler());
        HttpHandler throttled = new ConcurrencyHandler(grid.inFlight(), upstream);
        HttpHandler limited = new RateLimitHandler(grid.rateLimiter(), throttled);
        HttpHandler routed = new RouteHandler(router, limited);
        // Without trusted proxies the client is the connection's peer, which costs nothing to find.
        return new ErrorHandler(trustedProxies.isEmpty() ? routed : new ClientAddress(trustedProxies, routed));
    }
}
