package io.gridgate.loadtest;

/**
 * CPU over one run: the time of the processes that matter, from {@code /proc/<pid>/stat}, and how busy the pinned
 * cores were and how much of that was someone else.
 *
 * <p>The "load" core runs this JVM (generator and backend), the "proxy" core the proxy under test. In one-CPU mode
 * they are the same core and the load and proxy figures are equal; there, "foreign" is the core's busy time minus
 * that of this JVM and every proxy it started (the idle ones included: they are part of the setup, not interference).
 * In split mode, the load core's foreign share excludes only this JVM, the proxy core's only the proxies. On a shared
 * machine (a build running next to the benchmark) the foreign share says which figures were taken under interference.
 * All shares are 0..1, NaN when unknown (not Linux, or unpinned, where cores cannot be attributed).
 *
 * @param loadBusy the core of the generator and backend
 * @param proxyBusy the core of the proxy; the same core as {@code loadBusy} in one-CPU mode
 * @param loadForeign load-core time used by none of the processes pinned to it, over the run
 * @param proxyForeign proxy-core time used by none of the processes pinned to it (for the direct target in split mode,
 *     all of it, since direct leaves that core idle)
 * @param peakLoadForeign the largest load-core foreign share in any {@link InterferenceSampler} step
 * @param peakProxyForeign the largest proxy-core foreign share in any {@link InterferenceSampler} step
 * @param loadCpuNanos CPU time of this JVM alone (generator and backend, not its child processes)
 * @param proxyCpuNanos CPU time of the measured proxy's process tree (nginx master and worker, or the node's JVM);
 *     NaN for the direct target
 */
record CoreUsage(
        double loadBusy,
        double proxyBusy,
        double loadForeign,
        double proxyForeign,
        double peakLoadForeign,
        double peakProxyForeign,
        double loadCpuNanos,
        double proxyCpuNanos) {

    static final CoreUsage UNKNOWN = new CoreUsage(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN);

    /**
     * Above this share of a core used by others over a run, the run counts as noisy. A quiet machine shows 0-1%; a
     * few percent is already enough to own a p99 (1% of a 6 s window is 60 ms of stall).
     */
    static final double NOISY_FOREIGN_SHARE = 0.03;
    /** A burst: half a core taken by others within one sampling step (100 ms), whatever the run's average says. */
    static final double NOISY_FOREIGN_PEAK = 0.5;

    /**
     * Whether others used a core this run depends on. In split mode CPU 1 does not matter to the direct target, which
     * leaves it idle; counting it there would mark direct runs noisy for load they never felt.
     */
    boolean noisy() {
        boolean proxied = !Double.isNaN(proxyCpuNanos);
        return loadForeign > NOISY_FOREIGN_SHARE || peakLoadForeign > NOISY_FOREIGN_PEAK
                || proxied && (proxyForeign > NOISY_FOREIGN_SHARE || peakProxyForeign > NOISY_FOREIGN_PEAK);
    }

    /** This usage with the peaks a sampler saw during the same run. */
    CoreUsage withPeaks(double peakLoad, double peakProxy) {
        return new CoreUsage(loadBusy, proxyBusy, loadForeign, proxyForeign, peakLoad, peakProxy, loadCpuNanos,
                proxyCpuNanos);
    }
}
