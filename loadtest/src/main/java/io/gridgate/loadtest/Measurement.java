package io.gridgate.loadtest;

/**
 * One generator run against one target, and what it cost in CPU.
 *
 * @param target "direct", "nginx" or "gridgate"
 * @param round 1-based round number
 * @param result what the generator measured
 * @param cpu process CPU times and the pinned cores over the run
 * @param loadGcMillis GC time of the benchmark JVM (generator and backend) during the run
 * @param gridRoundTrips grid round trips the proxy made over the run, warm-up included; NaN where not counted
 * @param backendRequests requests the backend answered over the run, warm-up included; NaN where not counted
 * @param telemetry spans the OTLP sink received and access-log lines written over the run, warm-up included (and a
 *     run's last export batch, which arrives after it); {@link Telemetry#NOT_COUNTED} where not counted
 */
record Measurement(String target, int round, LoadResult result, CoreUsage cpu, long loadGcMillis,
        double gridRoundTrips, double backendRequests, Telemetry telemetry) {

    /**
     * The proxy's CPU time over the run divided by the responses of the run, both warm-up included so that they
     * cover the same span; NaN for the direct target.
     */
    double proxyCpuMicrosPerRequest() {
        return result.completed() > 0 ? cpu.proxyCpuNanos() / 1000.0 / result.completed() : Double.NaN;
    }

    /**
     * This JVM's CPU time (generator and backend) per response, counted like {@link #proxyCpuMicrosPerRequest()}. On
     * one CPU, C assumes this is the same with and without a proxy; comparing it across targets checks that.
     */
    double loadCpuMicrosPerRequest() {
        return result.completed() > 0 ? cpu.loadCpuNanos() / 1000.0 / result.completed() : Double.NaN;
    }

    /** Grid round trips per response, counted like {@link #proxyCpuMicrosPerRequest()}; NaN where not counted. */
    double gridRoundTripsPerRequest() {
        return result.completed() > 0 ? gridRoundTrips / result.completed() : Double.NaN;
    }

    /**
     * Backend requests per response, counted like {@link #proxyCpuMicrosPerRequest()}: 1 for a proxy that forwards
     * every request, about 0 for a cache that answers them all; NaN where not counted.
     */
    double backendRequestsPerResponse() {
        return result.completed() > 0 ? backendRequests / result.completed() : Double.NaN;
    }

    /** Spans the sink received per response, counted like {@link #proxyCpuMicrosPerRequest()}. */
    double spansPerResponse() {
        return perResponse(telemetry.spans());
    }

    /** Access-log lines written per response, counted like {@link #proxyCpuMicrosPerRequest()}. */
    double logLinesPerResponse() {
        return perResponse(telemetry.logLines());
    }

    private double perResponse(double count) {
        return result.completed() > 0 ? count / result.completed() : Double.NaN;
    }
}
