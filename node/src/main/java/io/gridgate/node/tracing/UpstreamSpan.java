package io.gridgate.node.tracing;

import io.gridgate.node.upstream.Endpoint;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;


/**
 * The client span of one upstream try: a child of the server span, so retries show as siblings,
 * each with its instance, its resend count and its outcome. Its context goes upstream in
 * {@code traceparent} (and the client's baggage with it). All methods accept {@code null} for
 * "tracing is off", so the proxy calls them unconditionally.
 */
public final class UpstreamSpan {

    private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<Long> RESEND = AttributeKey.longKey("http.request.resend_count");
    private static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("gridgate.upstream.instance");
    private static final AttributeKey<String> UPSTREAM = AttributeKey.stringKey("gridgate.upstream");
    private static final AttributeKey<String> CALL = AttributeKey.stringKey("gridgate.compose.call");

    private final Span span;
    private final Context context;
    private final ServerSpan server;
    private boolean ended;

    private UpstreamSpan(ServerSpan server, Span span) {
        this.server = server;
        this.span = span;
        this.context = server.context().with(span);
    }

    /** The try of a request the sampler left out: no span of its own, the server span's context goes upstream. */
    private UpstreamSpan(ServerSpan server) {
        this.server = server;
        this.span = Span.getInvalid();
        this.context = server.context();
        this.ended = true;
    }

    /** The span of try {@code attempt} (from 1) to {@code endpoint}; null when the exchange is not traced. */
    public static UpstreamSpan start(HttpServerExchange exchange, String upstream, Endpoint endpoint, String path,
                                     int attempt) {
        ServerSpan server = exchange.getAttachment(ServerSpan.KEY);
        if (server == null) {
            return null;
        }
        if (!server.recording()) {
            // Its span would not be exported either; the upstream still learns the trace (not sampled)
            // and the baggage, with the server span as the parent.
            return new UpstreamSpan(server);
        }
        String method = exchange.getRequestMethod().toString();
        var builder = server.tracing().tracer().spanBuilder(method).setParent(server.context())
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(TracingHandler.METHOD, method)
                .setAttribute(TracingHandler.SERVER_ADDRESS, endpoint.uri().getHost())
                .setAttribute(TracingHandler.SERVER_PORT, (long) endpoint.port())
                .setAttribute(URL_FULL, endpoint.origin().concat(path))
                .setAttribute(INSTANCE, endpoint.authority())
                .setAttribute(UPSTREAM, upstream);
        if (attempt > 1) {
            builder.setAttribute(RESEND, (long) (attempt - 1));
        }
        return new UpstreamSpan(server, builder.startSpan());
    }

    /** Writes {@code traceparent} (and baggage) for this try into the upstream request's headers. */
    public static void inject(UpstreamSpan span, HeaderMap upstreamRequest) {
        if (span != null) {
            span.server.tracing().propagator().inject(span.context, upstreamRequest, HeaderCarrier.SETTER);
        }
    }

    /** Names the call of a composition this span is, so a trace shows which call took how long. */
    public static void call(UpstreamSpan span, String call) {
        if (span != null) {
            span.span.setAttribute(CALL, call);
            span.span.updateName("GET " + call);
        }
    }

    /** The upstream answered; 5xx marks the try an error. */
    public static void responded(UpstreamSpan span, int status) {
        if (span != null) {
            span.span.setAttribute(TracingHandler.STATUS, (long) status);
            if (status >= 500) {
                span.span.setStatus(StatusCode.ERROR);
                span.span.setAttribute(TracingHandler.ERROR_TYPE, Integer.toString(status));
            }
        }
    }

    /** The try failed without an answer (connect failure, reset, timeout). */
    public static void failed(UpstreamSpan span, String errorType) {
        if (span != null && !span.ended) {
            span.span.setStatus(StatusCode.ERROR);
            span.span.setAttribute(TracingHandler.ERROR_TYPE, errorType);
        }
    }

    /** Ends the span; later calls do nothing. */
    public static void end(UpstreamSpan span) {
        if (span != null && !span.ended) {
            span.ended = true;
            span.span.end();
        }
    }
}
