package io.gridgate.loadtest;

/**
 * How busy the two benchmark cores were during one run, and how much of that was someone else.
 *
 * <p>The "foreign" share is the core's busy time minus the CPU time of the process pinned to it; on a shared machine
 * (a build running next to the benchmark) it says which figures were taken under interference. All shares are 0..1,
 * NaN when unknown (not Linux, or unpinned, where cores cannot be attributed).
 *
 * @param loadBusy CPU 0: generator and backend
 * @param proxyBusy CPU 1: the proxy under test
 * @param loadForeign CPU 0 time not used by this JVM, over the run
 * @param proxyForeign CPU 1 time not used by the proxy, over the run (all of it, for the direct target)
 * @param peakLoadForeign the largest CPU 0 foreign share in any {@link InterferenceSampler} step
 * @param peakProxyForeign the largest CPU 1 foreign share in any {@link InterferenceSampler} step
 * @param proxyCpuNanos CPU time of the proxy process tree; NaN for the direct target
 */
record CoreUsage(
        double loadBusy,
        double proxyBusy,
        double loadForeign,
        double proxyForeign,
        double peakLoadForeign,
        double peakProxyForeign,
        double proxyCpuNanos) {

    static final CoreUsage UNKNOWN =
            new CoreUsage(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /**
     * Above this share of a core used by others over a run, the run counts as noisy. A quiet machine shows 0-1%; a
     * few percent is already enough to own a p99 (1% of a 6 s window is 60 ms of stall).
     */
    static final double NOISY_FOREIGN_SHARE = 0.03;
    /** A burst: half a core taken by others within one sampling step (100 ms), whatever the run's average says. */
    static final double NOISY_FOREIGN_PEAK = 0.5;

    /**
     * Whether others used a core this run depends on. CPU 1 does not matter to the direct target, which leaves it
     * idle; counting it there would mark direct runs noisy for load they never felt.
     */
    boolean noisy() {
        boolean proxied = !Double.isNaN(proxyCpuNanos);
        return loadForeign > NOISY_FOREIGN_SHARE || peakLoadForeign > NOISY_FOREIGN_PEAK
                || proxied && (proxyForeign > NOISY_FOREIGN_SHARE || peakProxyForeign > NOISY_FOREIGN_PEAK);
    }

    /** This usage with the peaks a sampler saw during the same run. */
    CoreUsage withPeaks(double peakLoad, double peakProxy) {
        return new CoreUsage(loadBusy, proxyBusy, loadForeign, proxyForeign, peakLoad, peakProxy, proxyCpuNanos);
    }
}
