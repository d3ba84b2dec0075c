package io.gridgate.loadtest;

/** Reads samples out of a node's {@code GET /metrics} answer, the Prometheus text format (0.0.4). */
final class PrometheusText {

    /** Grid operations the node made, by {@code operation} and {@code outcome}: the count of its duration histogram. */
    static final String GRID_OPERATIONS_COUNT = "gridgate_grid_operation_duration_seconds_count";
    /** The label text of the rate limiter's operations, {@code rate_limit.acquire} (exact) and {@code .lease}. */
    static final String RATE_LIMIT_OPERATION = "operation=\"rate_limit.";
    /** The members of its cluster the node sees, itself included. */
    static final String CLUSTER_MEMBERS = "gridgate_cluster_members";

    private PrometheusText() {
    }

    /**
     * The sum of the samples of {@code metric} whose labels contain {@code labelText} (every sample for {@code ""});
     * 0 when there is none, as for a labelled counter before its first increment.
     */
    static double sum(String exposition, String metric, String labelText) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            String rest = line.substring(metric.length());
            String labels = "";
            if (rest.startsWith("{")) {
                int close = rest.lastIndexOf('}');
                if (close < 0) {
                    continue;
                }
                labels = rest.substring(1, close);
                rest = rest.substring(close + 1);
            } else if (!rest.startsWith(" ")) {
                continue; // another metric whose name starts with this one's
            }
            if (labels.contains(labelText)) {
                sum += value(rest.trim().split("\\s+")[0]);
            }
        }
        return sum;
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
