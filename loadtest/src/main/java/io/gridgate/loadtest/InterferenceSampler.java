package io.gridgate.loadtest;

/**
 * Watches the pinned cores in 100 ms steps during a run, so that a burst of someone else's work too short to move the
 * run's average (a JVM starting next door: 200 ms, 2% of a run, yet a whole p99) still marks the run as noisy.
 */
final class InterferenceSampler {

    private static final long STEP_MILLIS = 100;

    private final Target target;
    private final CpuPinning pinning;
    private final Thread thread;
    private volatile boolean stopped;
    private double peakLoad = Double.NaN;
    private double peakProxy = Double.NaN;

    private InterferenceSampler(Target target, CpuPinning pinning) {
        this.target = target;
        this.pinning = pinning;
        this.thread = new Thread(this::sample, "interference-sampler");
        thread.setDaemon(true);
    }

    /** Starts sampling; it runs on this JVM's core and costs a few /proc reads per step. */
    static InterferenceSampler start(Target target, CpuPinning pinning) {
        InterferenceSampler sampler = new InterferenceSampler(target, pinning);
        sampler.thread.start();
        return sampler;
    }

    /** Stops sampling and returns {@code usage} with the peaks seen. */
    CoreUsage stop(CoreUsage usage) {
        stopped = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return usage.withPeaks(max(peakLoad, usage.loadForeign()), max(peakProxy, usage.proxyForeign()));
    }

    private void sample() {
        CpuAccounting.Snapshot previous = CpuAccounting.snapshot(target, pinning);
        while (!stopped) {
            try {
                Thread.sleep(STEP_MILLIS); // a sampler, not a test: the step is the measurement's resolution
            } catch (InterruptedException e) {
                return;
            }
            CpuAccounting.Snapshot current = CpuAccounting.snapshot(target, pinning);
            CoreUsage step = CpuAccounting.between(previous, current, pinning);
            peakLoad = max(peakLoad, step.loadForeign());
            peakProxy = max(peakProxy, step.proxyForeign());
            previous = current;
        }
    }

    /** Max that treats NaN as "no value" rather than as contagious. */
    private static double max(double a, double b) {
        if (Double.isNaN(a)) {
            return b;
        }
        return Double.isNaN(b) ? a : Math.max(a, b);
    }
}
