package io.gridgate.node.tracing;

import io.gridgate.node.config.TracingConfig;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The node's OpenTelemetry SDK, set up by OpenTelemetry's own autoconfiguration from the node's
 * {@link TracingConfig} (which already folded in the standard {@code OTEL_*} variables), so every
 * other standard variable ({@code OTEL_EXPORTER_OTLP_HEADERS}, certificates, timeouts) works as
 * documented upstream. Spans are exported in batches from a bounded queue on the SDK's own thread;
 * a request never waits for a collector; spans a collector does not take and spans a full queue
 * drops are counted.
 */
public final class Tracing implements AutoCloseable {

    private static final String NAME = "io.gridgate";

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final AtomicLong notExported = new AtomicLong();
    private final DroppedSpans dropped = new DroppedSpans();

    private Tracing(TracingConfig config) {
        Map<String, String> properties = properties(config);
        this.sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesCustomizer(fromEnvironment -> properties)
                .addSpanExporterCustomizer((exporter, unused) -> new CountingExporter(exporter, notExported))
                .addMeterProviderCustomizer((meters, unused) -> meters.registerMetricReader(dropped))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        this.tracer = sdk.getTracer(NAME);
        this.propagator = sdk.getPropagators().getTextMapPropagator();
    }

    /** The SDK for the config, or {@code null} when tracing is off: then nothing is made at all. */
    public static Tracing start(TracingConfig config) {
        return config.enabled() ? new Tracing(config) : null;
    }

    /** OpenTelemetry's property names for what the config says; they win over the environment's. */
    static Map<String, String> properties(TracingConfig config) {
        Map<String, String> properties = new HashMap<>();
        properties.put("otel.traces.exporter", "otlp");
        properties.put("otel.metrics.exporter", "none");
        properties.put("otel.logs.exporter", "none");
        properties.put("otel.propagators", "tracecontext,baggage");
        config.endpoint().ifPresent(endpoint -> properties.put("otel.exporter.otlp.endpoint", endpoint));
        properties.put("otel.exporter.otlp.protocol", config.protocol());
        properties.put("otel.service.name", config.serviceName());
        properties.put("otel.traces.sampler", config.sampler());
        config.samplerArg().ifPresent(arg -> properties.put("otel.traces.sampler.arg", Double.toString(arg)));
        String fromEnvironment = System.getenv("OTEL_RESOURCE_ATTRIBUTES");
        String fromConfig = config.resourceAttributes().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        // Later entries win in OpenTelemetry's parsing: the environment's come last.
        String attributes = fromEnvironment == null || fromEnvironment.isBlank() ? fromConfig
                : fromConfig.isEmpty() ? fromEnvironment : fromConfig + "," + fromEnvironment;
        if (!attributes.isEmpty()) {
            properties.put("otel.resource.attributes", attributes);
        }
        properties.put("otel.bsp.schedule.delay", Long.toString(config.exportDelay().toMillis()));
        properties.put("otel.bsp.max.queue.size", Integer.toString(config.maxQueueSize()));
        properties.put("otel.bsp.max.export.batch.size", Integer.toString(config.exportBatchSize()));
        return properties;
    }

    Tracer tracer() {
        return tracer;
    }

    TextMapPropagator propagator() {
        return propagator;
    }

    /** Spans handed to an exporter that failed to deliver them, since start. */
    public long spansNotExported() {
        return notExported.get();
    }

    /** Spans the batch processor dropped because its queue was full, since start. */
    public long spansDropped() {
        return dropped.count();
    }

    /** Exports what is queued, for up to five seconds, and stops. */
    @Override
    public void close() {
        sdk.shutdown().join(5, TimeUnit.SECONDS);
    }
}
