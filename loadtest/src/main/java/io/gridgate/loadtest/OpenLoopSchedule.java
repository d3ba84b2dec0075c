package io.gridgate.loadtest;

/**
 * When each request of a fixed-rate run is due, and the latency that follows from it.
 *
 * <p>This is the coordinated-omission correction: a request that had to wait for a free connection because the target
 * stalled is charged the wait, since a real client arriving at its due time would have waited too. Measuring from the
 * actual send would hide exactly the stalls a latency benchmark exists to show.
 */
final class OpenLoopSchedule {

    private final long startNanos;
    private final double nanosPerRequest;

    private OpenLoopSchedule(long startNanos, double nanosPerRequest) {
        this.startNanos = startNanos;
        this.nanosPerRequest = nanosPerRequest;
    }

    /** Request 0 is due at {@code startNanos}, the following ones every {@code 1 / requestsPerSecond} after it. */
    static OpenLoopSchedule of(long startNanos, double requestsPerSecond) {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException(
                    "requestsPerSecond: " + requestsPerSecond + " (expected: > 0 and finite)");
        }
        return new OpenLoopSchedule(startNanos, 1e9 / requestsPerSecond);
    }

    /** The due time of request {@code index}; computed from the start, never accumulated, so it cannot drift. */
    long intendedStartNanos(long index) {
        return startNanos + (long) (index * nanosPerRequest);
    }

    /** How many requests are due strictly before {@code nanos}: those a run that stops issuing at {@code nanos} owes. */
    long countDueBefore(long nanos) {
        if (nanos <= startNanos) {
            return 0;
        }
        // The estimate can be one off either way after rounding; settle it against intendedStartNanos itself.
        long count = (long) Math.ceil((nanos - startNanos) / nanosPerRequest);
        while (count > 0 && intendedStartNanos(count - 1) >= nanos) {
            count--;
        }
        while (intendedStartNanos(count) < nanos) {
            count++;
        }
        return count;
    }

    /** Latency as the client sees it: from the due time, not from when a connection became free to send it. */
    static long latencyNanos(long intendedStartNanos, long completedNanos) {
        if (completedNanos < intendedStartNanos) {
            throw new IllegalArgumentException("completedNanos: " + completedNanos
                    + " (expected: >= intendedStartNanos " + intendedStartNanos + ")");
        }
        return completedNanos - intendedStartNanos;
    }
}
