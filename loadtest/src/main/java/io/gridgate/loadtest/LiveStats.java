package io.gridgate.loadtest;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts the generator threads share while a run is watched: written by every thread, sampled by the one waiting
 * for them. Runs that nobody watches have none, and pay nothing for it.
 */
final class LiveStats {

    private final long startNanos;
    private final long measureFromNanos;
    private final LongAdder responses = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Recorder latency = new Recorder(3);
    // Read and written only by the sampling thread.
    private final Histogram soFar = new Histogram(3);
    private Histogram interval;
    private long lastSampleNanos;
    private long lastResponses;

    LiveStats(long startNanos, Duration warmup) {
        this.startNanos = startNanos;
        this.measureFromNanos = startNanos + warmup.toNanos();
        this.lastSampleNanos = startNanos;
    }

    void response() {
        responses.increment();
    }

    void errors(long n) {
        errors.add(n);
    }

    void latency(long nanos) {
        latency.recordValue(nanos);
    }

    /** The state at {@code nowNanos}; only ever called by one thread. */
    Progress sample(long nowNanos) {
        interval = interval == null ? latency.getIntervalHistogram() : latency.getIntervalHistogram(interval);
        soFar.add(interval);
        long total = responses.sum();
        double seconds = (nowNanos - lastSampleNanos) / 1e9;
        double rate = seconds > 0 ? (total - lastResponses) / seconds : 0;
        lastSampleNanos = nowNanos;
        lastResponses = total;
        boolean measuredAny = soFar.getTotalCount() > 0;
        return new Progress(Duration.ofNanos(nowNanos - startNanos), nowNanos < measureFromNanos, rate, total,
                errors.sum(), soFar.getTotalCount(),
                measuredAny ? soFar.getValueAtPercentile(50) / 1000.0 : Double.NaN,
                measuredAny ? soFar.getValueAtPercentile(99) / 1000.0 : Double.NaN);
    }
}
