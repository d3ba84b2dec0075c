package io.gridgate.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * One target's latency runs of the compose scenario ({@link ComposeReport}) taken together.
 *
 * @param latencyNanos every measured request's latency, all rounds together
 * @param p99ByRound each round's own p99, in round order
 * @param rate the median of the rounds' achieved rates
 * @param sendLagP99Micros the median of the rounds' send-lag p99
 * @param nodeCpuMicrosPerRequest the median of the rounds' node CPU per response (NaN for direct)
 * @param loadCpuBusy the median share of the shared core busy over the rounds
 * @param backendPerResponse upstream requests per response over all rounds (warm-up included)
 * @param responses every response of the rounds, warm-up included: each body was checked
 * @param errors the rounds' errors
 * @param noisyRounds rounds in which others used the cores the run depends on
 */
record ComposeLatency(Histogram latencyNanos, List<Double> p99ByRound, double rate, double sendLagP99Micros,
        double nodeCpuMicrosPerRequest, double loadCpuBusy, double backendPerResponse, long responses,
        ErrorCounts errors, int noisyRounds) {

    static ComposeLatency of(List<Measurement> runs) {
        Histogram all = new Histogram(3);
        List<Double> p99s = new ArrayList<>();
        double backend = 0;
        long responses = 0;
        ErrorCounts errors = ErrorCounts.NONE;
        for (Measurement m : runs) {
            all.add(m.result().latencyNanos());
            p99s.add(m.result().latencyMicros(99));
            backend += m.backendRequests();
            responses += m.result().completed();
            errors = errors.plus(m.result().errors());
        }
        return new ComposeLatency(all, List.copyOf(p99s),
                median(runs, m -> m.result().requestsPerSecond()),
                median(runs, m -> m.result().sendLagMicros(99)),
                median(runs, Measurement::proxyCpuMicrosPerRequest),
                median(runs, m -> m.cpu().loadBusy()),
                backend / responses, responses, errors,
                (int) runs.stream().filter(m -> m.cpu().noisy()).count());
    }

    /** A percentile of all the rounds' requests, in microseconds; NaN if none was measured. */
    double micros(double percentile) {
        return latencyNanos.getTotalCount() == 0 ? Double.NaN
                : latencyNanos.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMicros() {
        return latencyNanos.getTotalCount() == 0 ? Double.NaN : latencyNanos.getMaxValue() / 1000.0;
    }

    private static double median(List<Measurement> runs, ToDoubleFunction<Measurement> metric) {
        return TargetSummary.median(runs.stream().mapToDouble(metric).toArray());
    }
}
