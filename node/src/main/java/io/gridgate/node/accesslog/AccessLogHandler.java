package io.gridgate.node.accesslog;

import io.gridgate.node.pipeline.ClientAddress;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.proxy.UpstreamOutcome;
import io.gridgate.node.routing.RouteMatch;
import io.gridgate.node.tracing.ServerSpan;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/**
 * Writes one access-log line per exchange when it completes, whoever answered it: formats it on the
 * I/O thread (a few appends) and offers it to the {@link AccessLog}'s bounded queue, never waiting.
 * Sits inside tracing, so the line carries the server span's trace and span ids. No request header
 * is logged but {@code User-Agent}, and sensitive query parameters are redacted.
 */
public final class AccessLogHandler implements HttpHandler {

    private static final HttpString X_CACHE = new HttpString("X-Cache");
    private static final HttpString RATE_LIMIT_POLICY = new HttpString("RateLimit-Policy");

    private final AccessLog log;
    private final HttpHandler next;

    public AccessLogHandler(AccessLog log, HttpHandler next) {
        this.log = log;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Completion completion = new Completion(log, System.currentTimeMillis(), System.nanoTime(),
                exchange.getRequestPath(), exchange.getQueryString());
        if (!exchange.isRequestComplete()) {
            // A request without a body (Undertow ended it already) has nothing to count: no conduit for it.
            exchange.addRequestWrapper((factory, ex) -> completion.counter = new CountingConduit(factory.create()));
        }
        exchange.addExchangeCompleteListener(completion);
        next.handleRequest(exchange);
    }

    /** What the line needs from the start of the exchange, and the writing of it at the end. */
    private static final class Completion implements ExchangeCompletionListener {

        private final AccessLog log;
        private final long epochMillis;
        private final long start;
        private final String path;
        private final String query;
        private CountingConduit counter;

        Completion(AccessLog log, long epochMillis, long start, String path, String query) {
            this.log = log;
            this.epochMillis = epochMillis;
            this.start = start;
            this.path = path;
            this.query = query;
        }

        @Override
        public void exchangeEvent(HttpServerExchange exchange, NextListener nextListener) {
            try {
                log.offer(line(exchange, System.nanoTime() - start));
            } finally {
                nextListener.proceed();
            }
        }

        private byte[] line(HttpServerExchange exchange, long nanos) {
            RouteMatch match = exchange.getAttachment(RouteMatch.KEY);
            Reason reason = exchange.getAttachment(LocalReply.REASON);
            UpstreamOutcome upstream = exchange.getAttachment(UpstreamOutcome.KEY);
            SpanContext span = spanContext(exchange);
            AccessLine line = new AccessLine()
                    .time(epochMillis)
                    .text("trace_id", span == null ? null : span.getTraceId())
                    .text("span_id", span == null ? null : span.getSpanId())
                    .text("client", ClientAddress.of(exchange))
                    .text("method", exchange.getRequestMethod().toString())
                    .text("path", path)
                    .text("query", query.isEmpty() ? null : log.redaction().redact(query))
                    .text("protocol", exchange.getProtocol().toString())
                    .text("route", match == null ? null : match.route().id())
                    .text("upstream", upstream == null ? null : upstream.instance())
                    .number("status", exchange.getStatusCode())
                    .text("reason", reason == null ? null : reason.code())
                    .count("bytes_in", bytesIn(exchange))
                    .count("bytes_out", exchange.getResponseBytesSent())
                    .millis("duration_ms", nanos)
                    .millis("upstream_ms", upstream == null ? -1 : upstream.nanos())
                    .text("cache", match != null && match.route().cache() != null
                            ? exchange.getResponseHeaders().getFirst(X_CACHE) : null)
                    .text("rate_limit", rateLimit(exchange, reason))
                    .text("user_agent", exchange.getRequestHeaders().getFirst(Headers.USER_AGENT));
            return line.end();
        }

        /**
         * The body bytes read. No counter was installed for a request Undertow had ended before any
         * handler: one without a body, or an h2c upgrade request, whose body Undertow reads first: its
         * declared length then, or null when it had none.
         */
        private long bytesIn(HttpServerExchange exchange) {
            if (counter != null) {
                return counter.count();
            }
            long declared = exchange.getRequestContentLength();
            boolean hasBody = declared > 0 || exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
            return hasBody ? declared : 0;
        }

        private static SpanContext spanContext(HttpServerExchange exchange) {
            ServerSpan server = exchange.getAttachment(ServerSpan.KEY);
            if (server == null) {
                return null;
            }
            SpanContext context = Span.fromContext(server.context()).getSpanContext();
            return context.isValid() ? context : null;
        }

        private static String rateLimit(HttpServerExchange exchange, Reason reason) {
            if (reason == Reason.RATE_LIMITED) {
                return "denied";
            }
            return exchange.getResponseHeaders().contains(RATE_LIMIT_POLICY) ? "allowed" : null;
        }
    }
}
