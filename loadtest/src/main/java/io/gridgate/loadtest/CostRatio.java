package io.gridgate.loadtest;

/**
 * The CPU-cost ratio {@code C = (D/G - 1) / (D/N - 1)}: how much a Gridgate hop costs per request relative to an
 * nginx hop, derived from the three saturation throughputs.
 *
 * <p>Why this shape: when generator, backend and proxy all share one CPU and keep it busy, each request costs the
 * direct path's CPU time {@code 1/D} plus the proxy's own {@code c}, so {@code 1/P = 1/D + c}, i.e.
 * {@code c = 1/P - 1/D} ({@link #addedMicrosPerRequest}) and {@code D/P - 1 = c * D}; dividing Gridgate's by nginx's
 * cancels {@code D}, leaving {@code c_G / c_N}. With the proxy pinned to its own core the stages overlap instead of
 * adding up, throughput becomes the slower core's, and C is no cost ratio at all (it is undefined once nginx keeps up
 * with direct); that is why the benchmark runs everything on one CPU by default.
 */
public final class CostRatio {

    private CostRatio() {
    }

    /**
     * Computes C from the three throughputs (requests per second).
     *
     * @return C, or NaN when it is undefined: a throughput is not positive, or nginx is not slower than direct
     */
    public static double of(double direct, double nginx, double gridgate) {
        if (!(direct > 0) || !(nginx > 0) || !(gridgate > 0)) {
            return Double.NaN;
        }
        double nginxCost = direct / nginx - 1;
        if (!(nginxCost > 0)) {
            return Double.NaN; // nginx added nothing measurable: there is no yardstick to divide by
        }
        return (direct / gridgate - 1) / nginxCost;
    }

    /**
     * The time a proxy hop adds per request, {@code 1/P - 1/D}, in microseconds, from two throughputs (requests per
     * second); on one shared, saturated CPU this is the hop's CPU cost. It may come out negative when the proxy is
     * within noise of direct.
     *
     * @return the added microseconds, or NaN unless both throughputs are positive
     */
    public static double addedMicrosPerRequest(double direct, double proxy) {
        if (!(direct > 0) || !(proxy > 0)) {
            return Double.NaN;
        }
        return 1e6 / proxy - 1e6 / direct;
    }
}
