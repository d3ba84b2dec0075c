package io.gridgate.node.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * {@code GET /metrics}: the node's metrics in the Prometheus text format (0.0.4), or in OpenMetrics
 * text when the scraper's {@code Accept} asks for it, both written by the Prometheus client's own
 * writers. Collecting runs the gauges' callbacks, so it happens on a worker thread, into a buffer
 * sent in one piece; the admin I/O thread only hands the request over.
 */
public final class ScrapeHandler implements HttpHandler {

    private static final ExpositionFormatWriter PROMETHEUS = PrometheusTextFormatWriter.create();
    private static final ExpositionFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();

    private final GatewayMetrics metrics;

    public ScrapeHandler(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        ExpositionFormatWriter writer = writer(exchange.getRequestHeaders().getFirst(Headers.ACCEPT));
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        writer.write(body, metrics.registry().scrape());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, writer.getContentType());
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.setResponseContentLength(body.size());
        exchange.getResponseSender().send(ByteBuffer.wrap(body.toByteArray()));
    }

    /** OpenMetrics when asked for by name; the Prometheus text format for anything else, or no Accept at all. */
    static ExpositionFormatWriter writer(String accept) {
        return accept != null && OPEN_METRICS.accepts(accept) ? OPEN_METRICS : PROMETHEUS;
    }
}
