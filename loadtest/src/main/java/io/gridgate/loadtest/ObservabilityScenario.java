package io.gridgate.loadtest;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The observability scenario: two Gridgate nodes with the same catch-all route to the same backend, started from the
 * same jar with the same flags on the same CPU, that differ only in their observability config. {@code plain} has
 * tracing off (no {@code tracing} section) and the access log off; {@code observed} traces every request
 * ({@code sampler: always_on}) and exports the spans over OTLP/HTTP to an {@link OtlpSink} the benchmark runs on
 * loopback, and writes an access log line per request to a file. Tracing is a node-wide setting, hence two nodes;
 * each is primed on its own, and the rounds interleave them.
 */
final class ObservabilityScenario {

    /** The targets, in the order every round measures them; each is a node of its own. */
    static final List<String> TARGETS = List.of("plain", "observed");
    static final String PLAIN = "plain";
    static final String OBSERVED = "observed";
    /** How long finished spans wait before export; the node's default is 1s. */
    static final Duration EXPORT_DELAY = Duration.ofMillis(200);
    static final int MAX_QUEUE_SIZE = 8192;
    /** Spans a proxied request makes: the server span and the upstream (client) span. */
    static final double EXPECTED_SPANS_PER_RESPONSE = 2;

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

    /** The observed node's sections after its routes: tracing to {@code sinkEndpoint}, and its access log. */
    static String observedSections(String sinkEndpoint, AccessLog accessLog, Path accessLogFile) {
        String tracing = """
                tracing:
                  endpoint: %s
                  protocol: http/protobuf
                  sampler: always_on
                  exportDelay: %dms
                  maxQueueSize: %d
                """.formatted(sinkEndpoint, EXPORT_DELAY.toMillis(), MAX_QUEUE_SIZE);
        return tracing + switch (accessLog) {
            case FILE -> "accessLog: {enabled: true, output: file, file: " + accessLogFile + "}\n";
            case STDOUT -> "accessLog: {enabled: true, output: stdout}\n";
            case OFF -> GridgateNode.NO_ACCESS_LOG;
        };
    }

    /** A target in a few words, for the report. */
    static String describe(String target, AccessLog accessLog) {
        return switch (target) {
            case PLAIN -> "tracing off, access log off";
            case OBSERVED -> "tracing always_on, OTLP/HTTP (http/protobuf) to a sink on loopback, exportDelay "
                    + EXPORT_DELAY.toMillis() + "ms, maxQueueSize " + MAX_QUEUE_SIZE + "; access log "
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
