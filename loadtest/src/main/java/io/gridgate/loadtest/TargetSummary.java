package io.gridgate.loadtest;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The medians over the rounds of one target: throughput and CPU from the saturation phase, latency from the
 * fixed-rate phase. The median, not the mean, so one round hit by a noisy neighbour does not move the figure.
 */
record TargetSummary(
        String target,
        double requestsPerSecond,
        double proxyCpuMicrosPerRequest,
        double loadCpuMicrosPerRequest,
        double gridRoundTripsPerRequest,
        double loadCpuBusy,
        double proxyCpuBusy,
        double loadCpuForeign,
        double proxyCpuForeign,
        double achievedRate,
        double p50Micros,
        double p99Micros,
        double p999Micros,
        double sendLagP99Micros,
        int flaggedRounds,
        int noisyRounds,
        int rounds) {

    static TargetSummary of(String target, List<Measurement> saturation, List<Measurement> latency) {
        List<Measurement> all = java.util.stream.Stream.concat(saturation.stream(), latency.stream()).toList();
        int flagged = (int) (saturation.stream().filter(m -> m.result().flagged()).count()
                + latency.stream().filter(m -> m.result().flagged()).count());
        return new TargetSummary(
                target,
                median(saturation, m -> m.result().requestsPerSecond()),
                median(saturation, Measurement::proxyCpuMicrosPerRequest),
                median(saturation, Measurement::loadCpuMicrosPerRequest),
                median(saturation, Measurement::gridRoundTripsPerRequest),
                median(saturation, m -> m.cpu().loadBusy()),
                median(saturation, m -> m.cpu().proxyBusy()),
                median(all, m -> m.cpu().loadForeign()),
                median(all, m -> m.cpu().proxyForeign()),
                median(latency, m -> m.result().requestsPerSecond()),
                median(latency, m -> m.result().latencyMicros(50)),
                median(latency, m -> m.result().latencyMicros(99)),
                median(latency, m -> m.result().latencyMicros(99.9)),
                median(latency, m -> m.result().sendLagMicros(99)),
                flagged,
                (int) all.stream().filter(m -> m.cpu().noisy()).count(),
                all.size());
    }

    private static double median(List<Measurement> runs, ToDoubleFunction<Measurement> metric) {
        return median(runs.stream().mapToDouble(metric).toArray());
    }

    /** Median of the values that are not NaN; NaN if there are none. Even counts average the middle two. */
    static double median(double... values) {
        double[] known = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (known.length == 0) {
            return Double.NaN;
        }
        int mid = known.length / 2;
        return known.length % 2 == 1 ? known[mid] : (known[mid - 1] + known[mid]) / 2;
    }
}
