package io.gridgate.loadtest;

/**
 * One generator run against one target, and what it cost in CPU.
 *
 * @param target "direct", "nginx" or "gridgate"
 * @param round 1-based round number
 * @param result what the generator measured
 * @param cpu the two cores over the run
 * @param loadGcMillis GC time of the benchmark JVM (generator and backend) during the run
 */
record Measurement(String target, int round, LoadResult result, CoreUsage cpu, long loadGcMillis) {

    /**
     * The proxy's CPU time over the run divided by the responses of the run, both warm-up included so that they
     * cover the same span; NaN for the direct target.
     */
    double proxyCpuMicrosPerRequest() {
        return result.completed() > 0 ? cpu.proxyCpuNanos() / 1000.0 / result.completed() : Double.NaN;
    }
}
