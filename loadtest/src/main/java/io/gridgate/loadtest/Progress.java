package io.gridgate.loadtest;

import java.time.Duration;

/**
 * A run's state while it runs, as the progress listener of a {@link LoadSpec} gets it.
 *
 * @param elapsed since the run started, warm-up included
 * @param warmingUp whether the run is still in its warm-up, which is not measured
 * @param responsesPerSecond complete responses per second since the previous report, errors included
 * @param responses complete responses so far, warm-up and errors included
 * @param errors failures so far, warm-up included
 * @param measured 2xx responses recorded in the window so far
 * @param p50Micros the median latency of the window so far; NaN before the first
 * @param p99Micros the 99th percentile of the window so far; NaN before the first
 */
public record Progress(
        Duration elapsed,
        boolean warmingUp,
        double responsesPerSecond,
        long responses,
        long errors,
        long measured,
        double p50Micros,
        double p99Micros) {
}
