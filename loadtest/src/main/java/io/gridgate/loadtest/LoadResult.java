package io.gridgate.loadtest;

import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one generator run measured.
 *
 * <p>In closed loop the window holds the responses that completed in it and latency counts from the actual send; at
 * a fixed rate it holds the requests that were due in it and latency counts from the due time.
 *
 * @param pacing how the run was paced
 * @param window the measured window (shorter than asked only when the request cap stopped the run)
 * @param succeeded 2xx responses inside the window
 * @param completed every complete response of the run, warm-up and errors included (to divide CPU time by)
 * @param errors failures over the whole run, warm-up included: a failing warm-up still means a broken setup
 * @param latencyNanos latency of the {@code succeeded} responses; read-only by convention
 * @param sendLagNanos at a fixed rate, how late the generator sent each request after its due time: the part of the
 *     latency that is queueing for a free connection or the generator's own slack; empty in closed loop
 * @param capped whether the request cap ended the run early
 * @param endpoints the same counts for each endpoint, in the spec's order
 */
public record LoadResult(
        Pacing pacing,
        Duration window,
        long succeeded,
        long completed,
        ErrorCounts errors,
        Histogram latencyNanos,
        Histogram sendLagNanos,
        boolean capped,
        List<EndpointResult> endpoints) {

    public LoadResult {
        endpoints = List.copyOf(endpoints);
    }

    /** The run's totals from its endpoints' counts. */
    static LoadResult of(Pacing pacing, Duration window, long completed, Histogram sendLagNanos, boolean capped,
            List<EndpointResult> endpoints) {
        Histogram latency = new Histogram(3);
        long succeeded = 0;
        ErrorCounts errors = ErrorCounts.NONE;
        for (EndpointResult e : endpoints) {
            latency.add(e.latencyNanos());
            succeeded += e.succeeded();
            errors = errors.plus(e.errors());
        }
        return new LoadResult(pacing, window, succeeded, completed, errors, latency, sendLagNanos, capped, endpoints);
    }

    /** The non-2xx responses of {@code errors} by status code, over all endpoints. */
    public SortedMap<Integer, Long> non2xxByStatus() {
        SortedMap<Integer, Long> sum = new TreeMap<>();
        for (EndpointResult e : endpoints) {
            sum = EndpointResult.mergeCounts(sum, e.non2xxByStatus());
        }
        return sum;
    }

    /** Successful responses per second of the measured window. */
    public double requestsPerSecond() {
        double seconds = window.toNanos() / 1e9;
        return seconds > 0 ? succeeded / seconds : 0;
    }

    /** A run is trustworthy only without errors and without hitting the cap. */
    public boolean flagged() {
        return errors.total() > 0 || capped;
    }

    /** A latency percentile (e.g. 99.9) in microseconds, or NaN when nothing was recorded. */
    public double latencyMicros(double percentile) {
        return micros(latencyNanos, percentile);
    }

    /** A send-lag percentile in microseconds, or NaN when nothing was recorded. */
    public double sendLagMicros(double percentile) {
        return micros(sendLagNanos, percentile);
    }

    private static double micros(Histogram histogram, double percentile) {
        if (histogram.getTotalCount() == 0) {
            return Double.NaN;
        }
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
