package io.gridgate.loadtest;

/**
 * What the observability scenario's OTLP sink received and the access log gained, so far or over one run: counts,
 * as doubles so that "not counted" (NaN) reads like the other per-run figures.
 *
 * @param exports OTLP/HTTP export requests ({@code POST /v1/traces}) the sink answered
 * @param spans spans in those requests
 * @param bytes request body bytes, as sent (compressed if the exporter compressed)
 * @param sinkCpuNanos CPU time the sink's handler spent reading and counting them (in the benchmark JVM)
 * @param logLines lines in the node's access log
 */
record Telemetry(double exports, double spans, double bytes, double sinkCpuNanos, double logLines) {

    /** For targets whose telemetry is not counted. */
    static final Telemetry NOT_COUNTED = new Telemetry(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** What was added between {@code before} and this reading. */
    Telemetry since(Telemetry before) {
        return new Telemetry(exports - before.exports, spans - before.spans, bytes - before.bytes,
                sinkCpuNanos - before.sinkCpuNanos, logLines - before.logLines);
    }
}
