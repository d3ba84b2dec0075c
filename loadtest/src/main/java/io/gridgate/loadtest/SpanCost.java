package io.gridgate.loadtest;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.LowAllocationTraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * What OpenTelemetry's Java SDK alone costs for the two spans a traced, proxied request makes: the
 * server span and the upstream try's client span, with the attributes the node gives them, built,
 * ended and marshaled to OTLP protobuf as the exporter does (its low-allocation marshaler), in a tight
 * loop with nothing else running. It is the floor under what tracing can cost a node per request,
 * whatever the node does around it; the observability scenario measures the whole. The best of the
 * rounds is reported, since others on the machine only ever make a round slower.
 *
 * <p>Runs with the node's jar on the class path: {@code loadtest/span-cost.sh}.
 */
public final class SpanCost {

    private static final int ROUNDS = 30;
    private static final int REQUESTS_PER_ROUND = 50_000;
    private static final int BATCH = 2_048;

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
    private static final AttributeKey<String> ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<String> VERSION = AttributeKey.stringKey("network.protocol.version");
    private static final AttributeKey<String> PEER = AttributeKey.stringKey("network.peer.address");
    private static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> ROUTE_ID = AttributeKey.stringKey("gridgate.route.id");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<String> URL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("gridgate.upstream.instance");
    private static final AttributeKey<String> UPSTREAM = AttributeKey.stringKey("gridgate.upstream");

    private SpanCost() {
    }

    public static void main(String[] args) throws IOException {
        List<SpanData> finished = new ArrayList<>();
        SpanExporter collect = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                finished.addAll(spans);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(collect)).build()) {
            Tracer tracer = provider.get("io.gridgate");
            LowAllocationTraceRequestMarshaler marshaler = new LowAllocationTraceRequestMarshaler();
            double bestSpans = Double.MAX_VALUE;
            double bestMarshal = Double.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                finished.clear();
                long start = System.nanoTime();
                for (int i = 0; i < REQUESTS_PER_ROUND; i++) {
                    request(tracer);
                }
                long built = System.nanoTime();
                for (int from = 0; from < finished.size(); from += BATCH) {
                    marshaler.initialize(finished.subList(from, Math.min(finished.size(), from + BATCH)));
                    marshaler.writeBinaryTo(OutputStream.nullOutputStream());
                    marshaler.reset();
                }
                long marshaled = System.nanoTime();
                bestSpans = Math.min(bestSpans, (built - start) / (double) REQUESTS_PER_ROUND);
                bestMarshal = Math.min(bestMarshal, (marshaled - built) / (double) REQUESTS_PER_ROUND);
            }
            System.out.printf(Locale.ROOT, "OpenTelemetry SDK, per traced request (2 spans, 18 attributes), best of %d"
                            + " rounds of %,d:%n  build and end  %6.0f ns%n  marshal (OTLP) %6.0f ns%n  together      %6.0f ns%n",
                    ROUNDS, REQUESTS_PER_ROUND, bestSpans, bestMarshal, bestSpans + bestMarshal);
        }
    }

    /** The server span and the upstream try's span of one proxied GET, as the node makes them. */
    private static void request(Tracer tracer) {
        Span server = tracer.spanBuilder("GET").setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, "GET").setAttribute(PATH, "/items/7").setAttribute(SCHEME, "http")
                .setAttribute(ADDRESS, "127.0.0.1").setAttribute(PORT, 8080L).setAttribute(VERSION, "1.1")
                .setAttribute(PEER, "127.0.0.1").setAttribute(USER_AGENT, "gridgate-loadtest").startSpan();
        Span upstream = tracer.spanBuilder("GET").setParent(Context.root().with(server)).setSpanKind(SpanKind.CLIENT)
                .setAttribute(METHOD, "GET").setAttribute(ADDRESS, "127.0.0.1").setAttribute(PORT, 9090L)
                .setAttribute(URL, "http://127.0.0.1:9090/items/7").setAttribute(INSTANCE, "127.0.0.1:9090")
                .setAttribute(UPSTREAM, "backend").startSpan();
        upstream.setAttribute(STATUS, 200L);
        upstream.end();
        server.setAttribute(STATUS, 200L);
        server.setAttribute(ROUTE_ID, "items");
        server.setAttribute(ROUTE, "/items/*");
        server.updateName("GET /items/*");
        server.end();
    }
}
