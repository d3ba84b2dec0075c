package io.gridgate.loadtest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one benchmark run measured, and the comparisons derived from it.
 *
 * @param options the flags it ran with
 * @param environment versions and machine facts, for reading the figures later
 * @param saturation closed-loop runs, in the order they ran
 * @param rate the fixed rate of the latency phase, requests per second (NaN if it was skipped)
 * @param latency fixed-rate runs, in the order they ran
 */
record BenchmarkResults(
        BenchmarkOptions options,
        Map<String, String> environment,
        List<Measurement> saturation,
        double rate,
        List<Measurement> latency) {

    /** Per target, in D, N, G order. */
    Map<String, TargetSummary> summaries() {
        Map<String, TargetSummary> summaries = new LinkedHashMap<>();
        for (String target : options.targets()) {
            summaries.put(target, TargetSummary.of(target, of(saturation, target), of(latency, target)));
        }
        return summaries;
    }

    Optional<TargetSummary> summary(String target) {
        return Optional.ofNullable(summaries().get(target));
    }

    /** Throughput of {@code a} over that of {@code b}; NaN unless both were measured. */
    double throughputRatio(String a, String b) {
        return rps(a) / rps(b);
    }

    /** C = (D/G - 1) / (D/N - 1) from the median throughputs; see {@link CostRatio}. */
    double costRatio() {
        return CostRatio.of(rps("direct"), rps("nginx"), rps("gridgate"));
    }

    /**
     * The time a hop through {@code target} adds to a request, {@code 1/X - 1/D} in microseconds, from the median
     * throughputs; see {@link CostRatio#addedMicrosPerRequest}. A CPU cost only in one-CPU mode.
     */
    double addedMicrosPerRequest(String target) {
        return CostRatio.addedMicrosPerRequest(rps("direct"), rps(target));
    }

    /** Gridgate's measured CPU per request over nginx's: the direct reading of what C estimates. */
    double measuredCpuRatio() {
        return cpu("gridgate") / cpu("nginx");
    }

    List<Measurement> flagged() {
        return java.util.stream.Stream.concat(saturation.stream(), latency.stream())
                .filter(m -> m.result().flagged())
                .toList();
    }

    /** {@code target}'s median throughput; NaN if it was not measured. */
    double rps(String target) {
        return summary(target).map(TargetSummary::requestsPerSecond).orElse(Double.NaN);
    }

    /** {@code target}'s grid round trips per request; NaN if it was not measured or they could not be counted. */
    double gridTrips(String target) {
        return summary(target).map(TargetSummary::gridRoundTripsPerRequest).orElse(Double.NaN);
    }

    private double cpu(String target) {
        return summary(target).map(TargetSummary::proxyCpuMicrosPerRequest).orElse(Double.NaN);
    }

    private static List<Measurement> of(List<Measurement> runs, String target) {
        return runs.stream().filter(m -> m.target().equals(target)).toList();
    }
}
