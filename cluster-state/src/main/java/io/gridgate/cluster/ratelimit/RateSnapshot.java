package io.gridgate.cluster.ratelimit;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * A key's counters as they stand at one instant, read without charging them: what an operator
 * sees, and what the next request of the key would find.
 *
 * @param exists whether the grid holds counters for the key under these limits; when it does not,
 *               the limits are as a new key finds them (full buckets, empty windows)
 * @param atMillis the instant of the reading, on the clock of the member that owns the key
 * @param limits one entry per limit, in the order the limits were given
 */
public record RateSnapshot(boolean exists, long atMillis, List<Limit> limits) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public RateSnapshot {
        limits = List.copyOf(limits);
    }

    /** Whether a request of one permit would be admitted now: every limit has one left. */
    public boolean admitsOne() {
        return limits.stream().allMatch(limit -> limit.remaining() >= 1);
    }

    /**
     * One limit's standing.
     *
     * @param remaining permits left now: whole tokens in the bucket, or room in the sliding window
     * @param reset until the bucket is full again, or until the current window ends
     * @param nextPermit until one permit is available; zero when one is
     */
    public record Limit(long remaining, Duration reset, Duration nextPermit) implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;
    }
}
