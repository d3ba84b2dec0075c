package io.gridgate.node.tracing;

import io.gridgate.node.pipeline.ClientAddress;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.routing.RouteMatch;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Protocols;

/**
 * Makes the server span of each request, a child of the client's {@code traceparent} (and with its
 * baggage), named and attributed per OpenTelemetry's HTTP semantic conventions plus Gridgate's own:
 * route, local-reply reason, cache result, rate-limit decision. The span ends when the exchange
 * completes; what it knows then (route, status, reason) goes on it. Upstream tries get client spans
 * of their own ({@link UpstreamSpan}).
 */
public final class TracingHandler implements HttpHandler {

    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
    private static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<String> PEER = AttributeKey.stringKey("network.peer.address");
    private static final AttributeKey<String> CLIENT = AttributeKey.stringKey("client.address");
    private static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    private static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    private static final AttributeKey<String> ROUTE_ID = AttributeKey.stringKey("gridgate.route.id");
    private static final AttributeKey<String> REASON = AttributeKey.stringKey("gridgate.local_reply.reason");
    private static final AttributeKey<String> CACHE = AttributeKey.stringKey("gridgate.cache.result");
    private static final AttributeKey<String> RATE_LIMIT = AttributeKey.stringKey("gridgate.rate_limit.decision");
    private static final AttributeKey<String> BREAKER = AttributeKey.stringKey("gridgate.breaker.state");
    private static final HttpString X_CACHE = new HttpString("X-Cache");
    private static final HttpString RATE_LIMIT_POLICY = new HttpString("RateLimit-Policy");

    private final Tracing tracing;
    private final HttpHandler next;

    public TracingHandler(Tracing tracing, HttpHandler next) {
        this.tracing = tracing;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Context parent = tracing.propagator().extract(Context.root(), exchange.getRequestHeaders(), HeaderCarrier.GETTER);
        String method = exchange.getRequestMethod().toString();
        var builder = tracing.tracer().spanBuilder(method).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method)
                .setAttribute(URL_PATH, exchange.getRequestPath())
                .setAttribute(URL_SCHEME, exchange.getRequestScheme())
                .setAttribute(SERVER_ADDRESS, exchange.getHostName())
                .setAttribute(SERVER_PORT, (long) exchange.getHostPort())
                .setAttribute(PROTOCOL_VERSION, version(exchange));
        if (!exchange.getQueryString().isEmpty()) {
            builder.setAttribute(URL_QUERY, exchange.getQueryString());
        }
        String peer = ClientAddress.peerText(exchange);
        if (!peer.isEmpty()) {
            builder.setAttribute(PEER, peer);
        }
        String userAgent = exchange.getRequestHeaders().getFirst(Headers.USER_AGENT);
        if (userAgent != null) {
            builder.setAttribute(USER_AGENT, userAgent);
        }
        Span span = builder.startSpan();
        exchange.putAttachment(ServerSpan.KEY, new ServerSpan(tracing, parent.with(span), span.isRecording()));
        exchange.addExchangeCompleteListener(new Finish(span, method));
        next.handleRequest(exchange);
    }

    private static String version(HttpServerExchange exchange) {
        HttpString known = exchange.getProtocol();
        if (known.equals(Protocols.HTTP_1_1)) {
            return "1.1"; // the common cases without a substring per request
        } else if (known.equals(Protocols.HTTP_2_0)) {
            return "2";
        }
        String protocol = known.toString();
        int slash = protocol.indexOf('/');
        return slash < 0 ? protocol : protocol.substring(slash + 1);
    }

    /** Puts what the exchange came to on the span, then ends it. */
    private record Finish(Span span, String method) implements ExchangeCompletionListener {

        @Override
        public void exchangeEvent(HttpServerExchange exchange, NextListener next) {
            try {
                int status = exchange.getStatusCode();
                span.setAttribute(STATUS, (long) status);
                if (ClientAddress.isForwarded(exchange)) {
                    // Only when a trusted proxy named another client: otherwise it is network.peer.address.
                    span.setAttribute(CLIENT, ClientAddress.of(exchange));
                }
                RouteMatch match = exchange.getAttachment(RouteMatch.KEY);
                if (match != null) {
                    span.setAttribute(ROUTE_ID, match.route().id());
                    String template = match.route().httpRoute();
                    if (template != null) {
                        span.setAttribute(ROUTE, template);
                        span.updateName(match.route().spanName(method));
                    }
                }
                Reason reason = exchange.getAttachment(LocalReply.REASON);
                if (reason != null) {
                    span.setAttribute(REASON, reason.code());
                    if (reason == Reason.RATE_LIMITED) {
                        span.setAttribute(RATE_LIMIT, "denied");
                    } else if (reason == Reason.CIRCUIT_OPEN) {
                        span.setAttribute(BREAKER, "open");
                    }
                }
                if (reason != Reason.RATE_LIMITED && exchange.getResponseHeaders().contains(RATE_LIMIT_POLICY)) {
                    span.setAttribute(RATE_LIMIT, "allowed");
                }
                String cache = exchange.getResponseHeaders().getFirst(X_CACHE);
                if (cache != null) {
                    span.setAttribute(CACHE, cache);
                }
                if (status >= 500) {
                    // A server span is an error for 5xx only (the client's 4xx is not the server's fault).
                    span.setStatus(StatusCode.ERROR);
                    span.setAttribute(ERROR_TYPE, reason != null ? reason.code() : Integer.toString(status));
                }
                span.end();
            } finally {
                next.proceed();
            }
        }
    }
}
