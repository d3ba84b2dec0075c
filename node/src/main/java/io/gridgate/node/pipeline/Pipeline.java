package io.gridgate.node.pipeline;

import io.gridgate.cluster.Grid;
import io.gridgate.node.accesslog.AccessLog;
import io.gridgate.node.accesslog.AccessLogHandler;
import io.gridgate.node.auth.AuthHandler;
import io.gridgate.node.bff.ClientHandler;
import io.gridgate.node.cache.CacheHandler;
import io.gridgate.node.compose.ComposeHandler;
import io.gridgate.node.config.ServerConfig;
import io.gridgate.node.metrics.GatewayMetrics;
import io.gridgate.node.metrics.MetricsHandler;
import io.gridgate.node.proxy.ProxyHandler;
import io.gridgate.node.ratelimit.ConcurrencyHandler;
import io.gridgate.node.ratelimit.RateLimitHandler;
import io.gridgate.node.routing.Router;
import io.gridgate.node.tracing.Tracing;
import io.gridgate.node.tracing.TracingHandler;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;

/**
 * Builds the request pipeline, the one place that decides handler order:
 * <pre>
 * metrics -> tracing (when on) -> access log (when on) -> error guard -> response headers -> client address -> ip filter -> path normalization -> route match
 *     -> route ip filter -> cors preflight -> body limit -> auth -> client (BFF edits) -> rate limit -> response cache
 *     -> concurrency limit -> composition (composite routes) | 100-continue -> proxy
 * </pre>
 * Route match reads the configuration {@link Snapshot} in force once and attaches it: auth and what
 * follows take that version's parts from the attachment, so a swap in mid-request changes nothing for it.
 * Response headers (server, route, CORS) are applied when each response head is committed, so they
 * reach every response of the chain, the gateway's own replies included.
 * A cache hit is answered before the concurrency limit, which guards upstreams, not the cache.
 * Metrics are outermost, so they count every response, the error guard's 500 included.
 * The access log sits inside tracing, so its lines carry the server span's ids, and outside the error
 * guard, so the guard's 500 is logged too.
 */
public final class Pipeline {

    private Pipeline() {
    }

    public static HttpHandler build(Router router, Grid grid, ServerConfig server, GatewayMetrics metrics, Tracing tracing,
                                    AccessLog accessLog) {
        HttpHandler upstream = new ComposeHandler(new HttpContinueReadHandler(new ProxyHandler()));
        HttpHandler throttled = new ConcurrencyHandler(grid.inFlight(), upstream);
        HttpHandler cached = new CacheHandler(grid.cache(), grid.localMemberId(), throttled);
        HttpHandler limited = new RateLimitHandler(grid.rateLimiter(), cached);
        HttpHandler authenticated = new AuthHandler(new ClientHandler(limited));
        HttpHandler bounded = new BodyLimitHandler(server.limits().maxBodyBytes(), authenticated);
        HttpHandler routed = new RouteHandler(router, IpFilterHandler.perRoute(new CorsHandler(bounded)));
        if (server.limits().normalizePaths()) {
            routed = new NormalizePathHandler(routed);
        }
        IpRules serverRules = IpRules.parse(server.ipRules());
        if (!serverRules.isEmpty()) {
            routed = IpFilterHandler.server(serverRules, routed);
        }
        IpRanges trustedProxies = IpRanges.parse(server.trustedProxies());
        // Without trusted proxies the client is the connection's peer, which costs nothing to find.
        HttpHandler addressed = trustedProxies.isEmpty() ? routed : new ClientAddress(trustedProxies, routed);
        HttpHandler guarded = new ErrorHandler(new ResponseHeadersHandler(ResponseHeaders.of(server.responseHeaders()), addressed));
        HttpHandler logged = accessLog == null ? guarded : new AccessLogHandler(accessLog, guarded);
        // Tracing inside metrics: the server span covers everything the gateway does for the request.
        HttpHandler traced = tracing == null ? logged : new TracingHandler(tracing, logged);
        return new MetricsHandler(metrics, traced);
    }
}
