package io.gridgate.node.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where the node's traces go: an OTLP endpoint (Jaeger, Tempo, an OpenTelemetry Collector), with
 * the standard OpenTelemetry variables as overrides.
 *
 * @param enabled            whether spans are made and exported; on by default when an endpoint is given
 * @param endpoint           the OTLP endpoint ({@code OTEL_EXPORTER_OTLP_ENDPOINT}); for http/protobuf the
 *                           exporter adds {@code /v1/traces}
 * @param protocol           {@code grpc} or {@code http/protobuf} ({@code OTEL_EXPORTER_OTLP_PROTOCOL})
 * @param serviceName        {@code service.name} of the spans ({@code OTEL_SERVICE_NAME})
 * @param sampler            one of OpenTelemetry's sampler names ({@code OTEL_TRACES_SAMPLER})
 * @param samplerArg         the ratio of the ratio samplers ({@code OTEL_TRACES_SAMPLER_ARG})
 * @param resourceAttributes more resource attributes; {@code OTEL_RESOURCE_ATTRIBUTES} adds to them
 * @param exportDelay        how long finished spans wait to be exported in a batch
 * @param maxQueueSize       finished spans waiting for export; beyond it spans are dropped and counted
 *                           ({@code OTEL_BSP_MAX_QUEUE_SIZE})
 * @param exportBatchSize    spans sent in one export at most ({@code OTEL_BSP_MAX_EXPORT_BATCH_SIZE}); a node
 *                           tracing thousands of requests a second keeps up with fewer, larger exports
 */
public record TracingConfig(
        boolean enabled,
        Optional<String> endpoint,
        String protocol,
        String serviceName,
        String sampler,
        Optional<Double> samplerArg,
        Map<String, String> resourceAttributes,
        Duration exportDelay,
        int maxQueueSize,
        int exportBatchSize) {

    public static final TracingConfig OFF = new TracingConfig(false, Optional.empty(), "http/protobuf", "gridgate",
            "parentbased_always_on", Optional.empty(), Map.of(), Duration.ofSeconds(1), 2048, 512);

    public TracingConfig {
        resourceAttributes = Map.copyOf(resourceAttributes);
    }
}
