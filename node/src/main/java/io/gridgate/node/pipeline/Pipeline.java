package io.gridgate.node.pipeline;

import io.gridgate.cluster.RateLimiter;
import io.gridgate.node.proxy.ProxyHandler;
import io.gridgate.node.ratelimit.RateLimitHandler;
import io.gridgate.node.routing.Router;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;

/**
 * Builds the request pipeline, the one place that decides handler order:
 * <pre>
 * error guard -> route match -> rate limit -> 100-continue -> proxy
 * </pre>
 * Later stages (tracing, access log, IP filter, auth, rate limit, cache) slot in here in the order
 * the architecture gives.
 */
public final class Pipeline {

    private Pipeline() {
    }

    public static HttpHandler build(Router router, RateLimiter rateLimiter) {
        HttpHandler upstream = new HttpContinueReadHandler(new ProxyHandler());
        HttpHandler limited = new RateLimitHandler(rateLimiter, upstream);
        HttpHandler routed = new RouteHandler(router, limited);
        return new ErrorHandler(routed);
    }
}
