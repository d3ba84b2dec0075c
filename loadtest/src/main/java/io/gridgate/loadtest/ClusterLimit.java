package io.gridgate.loadtest;

import java.util.Locale;

/**
 * The cluster rate limit of the plugins and nodes scenarios: one key (the client IP, and all load comes from
 * 127.0.0.1), {@value #PERMITS} permits per hour, far above anything a run sends, so it never refuses and the runs
 * measure what checking it costs. Exact mode, the node's default, asks the grid on every request; leased mode once per
 * lease.
 *
 * @param mode exact or leased
 * @param leaseSize permits per lease; used in leased mode only
 */
record ClusterLimit(Mode mode, int leaseSize) {

    /** The node's largest {@code permits}: 10^9 per hour, about 280,000 per second sustained. */
    static final long PERMITS = 1_000_000_000L;
    static final String PER = "1h";
    /** The policy id, in the route's config and in the {@code RateLimit-Policy} header of its answers. */
    static final String POLICY = "bench";

    /** The limit's mode, chosen with {@code --limit-mode}. */
    enum Mode {
        EXACT, LEASED;

        static Mode parse(String value) {
            for (Mode mode : values()) {
                if (mode.flag().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("--limit-mode: " + value + " (expected: exact or leased)");
        }

        String flag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The route's {@code rateLimits}, as lines that follow a route written by {@link GridgateNode#route}. */
    String yaml() {
        String mode = switch (this.mode) {
            case EXACT -> "";
            case LEASED -> "        mode: leased\n        leaseSize: " + leaseSize + "\n";
        };
        return """
                    rateLimits:
                      - id: %s
                        key: [clientIp]
                        limits: [{permits: %d, per: %s}]
                """.formatted(POLICY, PERMITS, PER) + mode;
    }

    /** The limit in a few words, for the reports. */
    String describe() {
        String mode = switch (this.mode) {
            case EXACT -> "mode exact (the node's default: a grid operation per request)";
            case LEASED -> "mode leased, leaseSize " + leaseSize;
        };
        return String.format(Locale.ROOT, "a cluster rate limit, one key (clientIp), %,d per %s (never refuses), %s",
                PERMITS, PER, mode);
    }

    /** Grid operations per request the mode should make: 1 in exact mode, about 1/leaseSize in leased mode. */
    double expectedGridTripsPerRequest() {
        return mode == Mode.EXACT ? 1 : 1.0 / leaseSize;
    }
}
