package io.gridgate.loadtest;

import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The observability scenario: two Gridgate nodes with the same catch-all route to the same backend, started from the
 * same jar with the same flags on the same CPU, that differ only in their observability config. {@code plain} has
 * tracing off (no {@code tracing} section) and the access log off; {@code observed} traces every request
 * ({@code sampler: always_on}, or with {@code --sampler-ratio} a parent-based trace-id ratio sampler) and exports the
 * spans over OTLP/HTTP to an {@link OtlpSink} the benchmark runs on loopback, and writes an access log line per request
 * to a file. Tracing is a node-wide setting, hence two nodes; each is primed on its own, and the rounds interleave
 * them.
 */
final class ObservabilityScenario {

    /** The targets, in the order every round measures them; each is a node of its own. */
    static final List<String> TARGETS = List.of("plain", "observed");
    static final String PLAIN = "plain";
    static final String OBSERVED = "observed";
    /** How long finished spans wait before export; the node's default is 1s. */
    static final Duration EXPORT_DELAY = Duration.ofMillis(200);
    static final int MAX_QUEUE_SIZE = 8192;
    /**
     * Spans per export: at 100 % sampling the node finishes some 40,000 spans a second, and with the SDK's default of
     * 512 its one export in flight at a time fell behind on the shared core and the queue overflowed.
     */
    static final int EXPORT_BATCH_SIZE = 2048;
    /** Spans a proxied request makes: the server span and the upstream (client) span. */
    static final double EXPECTED_SPANS_PER_RESPONSE = 2;
    /** The sampler ratio of issue 8's figure, and the default: every request traced. */
    static final double ALWAYS_ON = 1.0;
    /**
     * The sampler below 100 %. The load carries no {@code traceparent}, so every request is a root and the parent-based
     * sampler decides exactly as plain {@code traceidratio} would; it is the one production runs, where callers may
     * send a parent.
     */
    static final String RATIO_SAMPLER = "parentbased_traceidratio";

    /**
     * Where the observed node's access log goes: {@code file} (the default, a file in the run's temp dir, so that
     * stdout is not the bottleneck), {@code stdout} (the node's own output, which the benchmark sends to a file too),
     * or {@code off} ({@code enabled: false} on both nodes: tracing only).
     */
    enum AccessLog {
        FILE, STDOUT, OFF;

        static AccessLog parse(String value) {
            for (AccessLog mode : values()) {
                if (mode.flag().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("--access-log: " + value + " (expected: file, stdout or off)");
        }

        String flag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private ObservabilityScenario() {
    }

    /** Both nodes' one route: every path to {@code backend}. */
    static String routes(InetSocketAddress backend) {
        return GridgateNode.catchAllRoute(backend);
    }

    /** The plain node's sections after its routes: the access log explicitly off (the node's default is on). */
    static String plainSections() {
        return GridgateNode.NO_ACCESS_LOG;
    }

    /**
     * The observed node's sections after its routes: tracing to {@code sinkEndpoint}, of {@code samplerRatio} of the
     * requests, and its access log.
     */
    static String observedSections(String sinkEndpoint, AccessLog accessLog, Path accessLogFile, double samplerRatio) {
        String tracing = """
                tracing:
                  endpoint: %s
                  protocol: http/protobuf
                  %s
                  exportDelay: %dms
                  maxQueueSize: %d
                  exportBatchSize: %d
                """.formatted(sinkEndpoint, samplerLines(samplerRatio), EXPORT_DELAY.toMillis(), MAX_QUEUE_SIZE,
                EXPORT_BATCH_SIZE);
        return tracing + switch (accessLog) {
            case FILE -> "accessLog: {enabled: true, output: file, file: " + accessLogFile + "}\n";
            case STDOUT -> "accessLog: {enabled: true, output: stdout}\n";
            case OFF -> GridgateNode.NO_ACCESS_LOG;
        };
    }

    /** The {@code sampler} line, and {@code samplerArg}'s below 100 %, indented as in the tracing section. */
    private static String samplerLines(double samplerRatio) {
        return samplerRatio == ALWAYS_ON ? "sampler: always_on"
                : "sampler: " + RATIO_SAMPLER + "\n  samplerArg: " + ratio(samplerRatio);
    }

    /** The sampler as the report names it: {@code always_on}, or the ratio sampler with its ratio. */
    static String sampler(double samplerRatio) {
        return samplerRatio == ALWAYS_ON ? "always_on" : RATIO_SAMPLER + " " + ratio(samplerRatio);
    }

    /** {@code 10 %} for 0.1: the share of requests traced. */
    static String percentTraced(double samplerRatio) {
        return BigDecimal.valueOf(samplerRatio).movePointRight(2).stripTrailingZeros().toPlainString() + " %";
    }

    /** {@code 0.1}, and {@code 0.0001} rather than Double's {@code 1.0E-4}: as one would write it in the YAML. */
    static String ratio(double samplerRatio) {
        return BigDecimal.valueOf(samplerRatio).stripTrailingZeros().toPlainString();
    }

    /** Spans per response the sink should receive: both spans of each sampled request. */
    static double expectedSpansPerResponse(double samplerRatio) {
        return EXPECTED_SPANS_PER_RESPONSE * samplerRatio;
    }

    /** The export settings of a traced node, as the reports describe it. */
    static String exportSettings() {
        return "exportDelay " + EXPORT_DELAY.toMillis() + "ms, maxQueueSize " + MAX_QUEUE_SIZE + ", exportBatchSize "
                + EXPORT_BATCH_SIZE;
    }

    /** A target in a few words, for the report. */
    static String describe(String target, AccessLog accessLog, double samplerRatio) {
        return switch (target) {
            case PLAIN -> "tracing off, access log off";
            case OBSERVED -> "tracing " + sampler(samplerRatio) + " (" + percentTraced(samplerRatio)
                    + " of requests), OTLP/HTTP (http/protobuf) to a sink on loopback, "
                    + exportSettings() + "; access log "
                    + switch (accessLog) {
                        case FILE -> "on, to a file";
                        case STDOUT -> "on, to stdout (the node's output file)";
                        case OFF -> "OFF (--access-log off: tracing only)";
                    };
            default -> throw new IllegalArgumentException("target: " + target + " (expected: one of " + TARGETS + ")");
        };
    }

    /** Whether a node's start-up failure is its config refusing the {@code accessLog} section. */
    static boolean refusedAccessLog(String nodeLog) {
        return nodeLog.contains("/accessLog") && nodeLog.contains("unknown key");
    }
}
