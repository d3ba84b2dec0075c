package io.gridgate.node.config;

import io.gridgate.node.config.YamlNode.Entry;
import io.gridgate.node.config.YamlNode.Mapping;
import io.gridgate.node.config.YamlNode.Scalar;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code tracing}, with the standard OpenTelemetry variables replacing what the file says. */
final class TracingReader {

    static final String[] KEYS = {"enabled", "endpoint", "protocol", "serviceName", "sampler", "samplerArg",
        "resourceAttributes", "exportDelay", "maxQueueSize", "exportBatchSize"};

    static final String ENV_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    static final String ENV_PROTOCOL = "OTEL_EXPORTER_OTLP_PROTOCOL";
    static final String ENV_SERVICE_NAME = "OTEL_SERVICE_NAME";
    static final String ENV_SAMPLER = "OTEL_TRACES_SAMPLER";
    static final String ENV_SAMPLER_ARG = "OTEL_TRACES_SAMPLER_ARG";
    static final String ENV_SDK_DISABLED = "OTEL_SDK_DISABLED";
    static final String ENV_MAX_QUEUE_SIZE = "OTEL_BSP_MAX_QUEUE_SIZE";
    static final String ENV_EXPORT_BATCH_SIZE = "OTEL_BSP_MAX_EXPORT_BATCH_SIZE";

    private static final List<String> PROTOCOLS = List.of("grpc", "http/protobuf");
    private static final List<String> SAMPLERS = List.of("always_on", "always_off", "traceidratio",
            "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio");
    private static final ValueType<String> URL = ValueType.text("an http:// or https:// URL such as "
            + "http://otel-collector:4318", text -> text.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?") ? text : null);
    private static final ValueType<String> PROTOCOL = ValueType.text("one of " + String.join(", ", PROTOCOLS),
            text -> PROTOCOLS.contains(text) ? text : null);
    private static final ValueType<String> SAMPLER = ValueType.text("one of " + String.join(", ", SAMPLERS),
            text -> SAMPLERS.contains(text) ? text : null);
    private static final ValueType<Double> RATIO = ValueType.text("a ratio from 0 to 1 such as 0.25",
            TracingReader::ratio);
    private static final ValueType<String> NAME = ValueTypes.matching("[^\\s,=]{1,255}", "a name without spaces, "
            + "',' or '='");
    private static final ValueType<String> VALUE = ValueTypes.matching("[\\x20-\\x7e&&[^,=]]{1,255}",
            "a value of printable characters without ',' or '='");

    private TracingReader() {
    }

    static TracingConfig read(Section s) {
        TracingConfig d = TracingConfig.OFF;
        Optional<String> endpoint = s.optional("endpoint", URL, ENV_ENDPOINT);
        boolean disabled = s.reading().env(ENV_SDK_DISABLED).map(v -> v.trim().equalsIgnoreCase("true")).orElse(false);
        boolean enabled = !disabled && s.get("enabled", ValueTypes.bool(), endpoint.isPresent());
        if (enabled && endpoint.isEmpty() && !s.failed("endpoint")) {
            s.missing("endpoint", "the OTLP endpoint, such as http://otel-collector:4318, or "
                    + ENV_ENDPOINT + " in the environment");
        }
        String sampler = s.get("sampler", SAMPLER, d.sampler(), ENV_SAMPLER);
        Optional<Double> samplerArg = s.optional("samplerArg", RATIO, ENV_SAMPLER_ARG);
        if (samplerArg.isPresent() && !sampler.endsWith("traceidratio") && !s.failed("sampler")) {
            s.reject("samplerArg", "no samplerArg, since only the traceidratio samplers take one");
        }
        int maxQueueSize = s.get("maxQueueSize", ValueTypes.integer(1, 1_000_000), d.maxQueueSize(),
                ENV_MAX_QUEUE_SIZE);
        int exportBatchSize = s.get("exportBatchSize", ValueTypes.integer(1, 1_000_000), d.exportBatchSize(),
                ENV_EXPORT_BATCH_SIZE);
        if (exportBatchSize > maxQueueSize && !s.failed("maxQueueSize") && !s.failed("exportBatchSize")) {
            // OpenTelemetry's batch processor refuses this at start; say so here, with the place.
            exportBatchSize = Math.min(d.exportBatchSize(), maxQueueSize);
            s.reject("exportBatchSize", "at most maxQueueSize (" + maxQueueSize + ")");
        }
        return new TracingConfig(
                enabled,
                endpoint,
                s.get("protocol", PROTOCOL, d.protocol(), ENV_PROTOCOL),
                s.get("serviceName", NAME, d.serviceName(), ENV_SERVICE_NAME),
                sampler,
                samplerArg,
                attributes(s),
                s.get("exportDelay", Durations.type(), d.exportDelay()),
                maxQueueSize,
                exportBatchSize);
    }

    private static Double ratio(String text) {
        try {
            double ratio = Double.parseDouble(text);
            return ratio >= 0 && ratio <= 1 ? ratio : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, String> attributes(Section s) {
        Optional<YamlNode> node = s.value("resourceAttributes");
        if (node.isEmpty() || node.get() instanceof Scalar scalar && scalar.isNull()) {
            return Map.of();
        }
        if (!(node.get() instanceof Mapping mapping)) {
            s.reading().problems().reject(node.get(), s.pathOf("resourceAttributes"),
                    "a mapping of attribute names to values, such as {deployment.environment: prod}");
            return Map.of();
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Entry entry : mapping.entries()) {
            String path = s.pathOf("resourceAttributes") + "/" + YamlNode.pointerToken(entry.key());
            ValueType.Checked<String> name = NAME.check(Scalar.plain(entry.key()));
            ValueType.Checked<String> value = VALUE.check(entry.value());
            if (!name.ok()) {
                s.reading().problems().reject(s.reading().problems().at(entry.line(), entry.column(), path),
                        YamlNode.quote(entry.key()), name.expected());
            } else if (!value.ok()) {
                s.reading().problems().reject(entry.value(), path, value.expected());
            } else {
                attributes.put(entry.key(), value.value());
            }
        }
        return attributes;
    }
}
