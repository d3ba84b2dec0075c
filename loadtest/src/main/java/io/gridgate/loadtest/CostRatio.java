package io.gridgate.loadtest;

/**
 * The CPU-cost ratio {@code C = (D/G - 1) / (D/N - 1)}: how much a Gridgate hop costs per request relative to an
 * nginx hop, derived from the three saturation throughputs.
 *
 * <p>Why this shape: if a request costs {@code 1/D} on the direct path and a proxy hop adds {@code t}, then
 * {@code 1/P = 1/D + t}, so {@code D/P - 1 = t * D}; dividing Gridgate's by nginx's cancels {@code D}. That holds when
 * all of the work shares one CPU budget. With the proxy pinned to its own core the stages overlap, throughput becomes
 * the slower stage's, and C overstates the cost gap (and is undefined once nginx keeps up with direct); the benchmark
 * therefore also reports the proxies' measured CPU time per request.
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
}
