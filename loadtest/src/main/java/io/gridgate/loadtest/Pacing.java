package io.gridgate.loadtest;

/** How the generator decides when to send: as fast as responses come back, or on a fixed schedule. */
public sealed interface Pacing {

    /** Each connection sends its next request as soon as the previous response ends; measures maximum throughput. */
    static Pacing closedLoop() {
        return ClosedLoop.INSTANCE;
    }

    /**
     * Requests are due at a fixed rate whatever the target does, and latency counts from each request's due time;
     * measures latency at a given load without coordinated omission.
     */
    static Pacing fixedRate(double requestsPerSecond) {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException(
                    "requestsPerSecond: " + requestsPerSecond + " (expected: > 0 and finite)");
        }
        return new FixedRate(requestsPerSecond);
    }

    /** Closed loop: see {@link Pacing#closedLoop()}. */
    enum ClosedLoop implements Pacing {
        INSTANCE;

        @Override
        public String toString() {
            return "closed-loop";
        }
    }

    /** Open loop at a fixed rate: see {@link Pacing#fixedRate(double)}. */
    record FixedRate(double requestsPerSecond) implements Pacing {

        @Override
        public String toString() {
            return String.format("fixed-rate %.0f req/s", requestsPerSecond);
        }
    }
}
