package io.gridgate.node.metrics;

import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.proxy.UpstreamOutcome;
import io.gridgate.node.routing.RouteMatch;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;

/**
 * The outermost stage of the pipeline: registers one completion listener per request, which records
 * the request in {@link GatewayMetrics} once the response has ended, whoever answered it (upstream,
 * cache or a local reply). The listener only increments counters, so it costs the I/O thread nothing
 * that could block.
 */
public final class MetricsHandler implements HttpHandler {

    /** The header the response cache writes its result in. */
    private static final HttpString X_CACHE = new HttpString("X-Cache");

    private final GatewayMetrics metrics;
    private final HttpHandler next;

    public MetricsHandler(GatewayMetrics metrics, HttpHandler next) {
        this.metrics = metrics;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        // Recorded by the server when UndertowOptions.RECORD_REQUEST_START_TIME is on; -1 otherwise.
        long recorded = exchange.getRequestStartTime();
        long start = recorded > 0 ? recorded : System.nanoTime();
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            try {
                record(ex, System.nanoTime() - start);
            } finally {
                nextListener.proceed();
            }
        });
        next.handleRequest(exchange);
    }

    private void record(HttpServerExchange exchange, long nanos) {
        RouteMatch match = exchange.getAttachment(RouteMatch.KEY);
        String route = match == null ? null : match.route().id();
        metrics.recordRequest(route, exchange.getRequestMethod(), exchange.getStatusCode(), nanos);
        Reason reason = exchange.getAttachment(LocalReply.REASON);
        if (reason != null) {
            metrics.recordLocalReply(reason);
        }
        // Only a caching route's X-Cache is the cache's own; elsewhere it is whatever the upstream sent.
        if (match != null && match.route().cache() != null) {
            metrics.recordCacheResult(route, exchange.getResponseHeaders().getFirst(X_CACHE));
        }
        if (match != null && !match.route().config().rateLimits().isEmpty()) {
            metrics.recordRateLimit(route, reason != Reason.RATE_LIMITED);
        }
        UpstreamOutcome upstream = exchange.getAttachment(UpstreamOutcome.KEY);
        if (upstream != null) {
            metrics.recordUpstream(upstream.upstream(), upstream.status(), upstream.nanos());
        }
    }
}
