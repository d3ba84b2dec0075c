package io.gridgate.cluster.ratelimit;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The counters of one key under its list of limits. A request is admitted only if every limit
 * admits it, and then charged to all of them; a denied request charges nothing. Time only moves
 * forward: a clock that steps back is treated as standing still.
 */
public final class RateLimitState implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Per limit: token bucket {tokens x 1000, last refill}; sliding window {window start, current, previous}. */
    private final long[][] counters;

    private RateLimitState(long[][] counters) {
        this.counters = counters;
    }

    /** Full buckets and empty windows. */
    public static RateLimitState initial(List<RateLimit> limits, long nowMillis) {
        long[][] counters = new long[limits.size()][];
        for (int i = 0; i < limits.size(); i++) {
            RateLimit limit = limits.get(i);
            counters[i] = limit.algorithm() == RateLimit.Algorithm.TOKEN_BUCKET
                    ? new long[] {limit.burst() * 1000, nowMillis}
                    : new long[] {windowStart(limit, nowMillis), 0, 0};
        }
        return new RateLimitState(counters);
    }

    /** True when this state was made for the same number of limits (a config change resets a key). */
    public boolean fits(List<RateLimit> limits) {
        return counters.length == limits.size();
    }

    /** Decides, and charges {@code permits} to every limit when all of them admit the request. */
    public RateDecision tryAcquire(List<RateLimit> limits, long permits, long nowMillis) {
        long[][] next = new long[counters.length][];
        RateDecision tightest = null;
        for (int i = 0; i < limits.size(); i++) {
            RateLimit limit = limits.get(i);
            next[i] = counters[i].clone();
            RateDecision decision = limit.algorithm() == RateLimit.Algorithm.TOKEN_BUCKET
                    ? bucket(i, limit, next[i], permits, nowMillis)
                    : window(i, limit, next[i], permits, nowMillis);
            if (!decision.allowed()) {
                if (tightest == null || tightest.allowed()
                        || decision.retryAfter().compareTo(tightest.retryAfter()) > 0) {
                    tightest = decision;
                }
            } else if (tightest == null || (tightest.allowed() && decision.remaining() < tightest.remaining())) {
                tightest = decision;
            }
        }
        if (tightest != null && tightest.allowed()) {
            for (int i = 0; i < next.length; i++) {
                counters[i] = next[i];
            }
        }
        return tightest;
    }

    /**
     * Each limit's standing at {@code nowMillis}, with refills and window changes applied, leaving
     * this state as it was: the grid may hold this very object (an in-memory map value), so a read
     * must not write to it. The arithmetic is {@link #tryAcquire}'s, run on copies.
     */
    public List<RateSnapshot.Limit> peek(List<RateLimit> limits, long nowMillis) {
        List<RateSnapshot.Limit> standing = new ArrayList<>(limits.size());
        for (int i = 0; i < limits.size(); i++) {
            RateLimit limit = limits.get(i);
            boolean bucket = limit.algorithm() == RateLimit.Algorithm.TOKEN_BUCKET;
            RateDecision now = bucket ? bucket(i, limit, counters[i].clone(), 0, nowMillis)
                    : window(i, limit, counters[i].clone(), 0, nowMillis);
            RateDecision one = bucket ? bucket(i, limit, counters[i].clone(), 1, nowMillis)
                    : window(i, limit, counters[i].clone(), 1, nowMillis);
            standing.add(new RateSnapshot.Limit(now.remaining(), now.reset(), one.retryAfter()));
        }
        return standing;
    }

    /** How long the state must be kept: until every limit would be back to full. */
    public static Duration retention(List<RateLimit> limits) {
        Duration longest = Duration.ZERO;
        for (RateLimit limit : limits) {
            Duration full = limit.algorithm() == RateLimit.Algorithm.TOKEN_BUCKET
                    ? limit.per().multipliedBy(Math.max(1, (limit.burst() + limit.permits() - 1) / limit.permits()))
                    : limit.per().multipliedBy(2);
            longest = full.compareTo(longest) > 0 ? full : longest;
        }
        return longest;
    }

    private static RateDecision bucket(int index, RateLimit limit, long[] state, long permits, long now) {
        long perMillis = limit.per().toMillis();
        long capacity = limit.burst() * 1000;
        long elapsed = Math.max(0, now - state[1]);
        // Tokens in thousandths, so slow rates (1 per hour) refill smoothly without floating point.
        long refill = multiplyCapped(elapsed, limit.permits() * 1000) / perMillis;
        long tokens = Math.min(capacity, state[0] + refill);
        long need = permits * 1000;
        boolean allowed = tokens >= need;
        if (allowed) {
            tokens -= need;
        }
        state[0] = tokens;
        state[1] = Math.max(now, state[1]);
        long missingToFull = capacity - tokens;
        Duration reset = Duration.ofMillis(ceilDiv(multiplyCapped(missingToFull, perMillis), limit.permits() * 1000));
        Duration retryAfter = allowed ? Duration.ZERO
                : Duration.ofMillis(ceilDiv(multiplyCapped(need - tokens, perMillis), limit.permits() * 1000));
        if (need > capacity && !allowed) {
            retryAfter = limit.per(); // can never fit; tell the client something finite
        }
        return new RateDecision(allowed, index, limit.burst(), tokens / 1000, reset, retryAfter);
    }

    private static RateDecision window(int index, RateLimit limit, long[] state, long permits, long now) {
        long perMillis = limit.per().toMillis();
        long start = windowStart(limit, now);
        if (start > state[0]) {
            boolean adjacent = start - state[0] == perMillis;
            state[2] = adjacent ? state[1] : 0;
            state[1] = 0;
            state[0] = start;
        }
        long intoWindow = Math.max(0, now - state[0]);
        // The previous window's count, weighted by how much of it the sliding window still covers.
        long previousShare = state[2] * (perMillis - intoWindow) / perMillis;
        long used = previousShare + state[1];
        boolean allowed = used + permits <= limit.permits();
        if (allowed) {
            state[1] += permits;
            used += permits;
        }
        Duration reset = Duration.ofMillis(perMillis - intoWindow);
        Duration retryAfter = allowed ? Duration.ZERO : retryAfterWindow(limit, state, permits, intoWindow, perMillis);
        return new RateDecision(allowed, index, limit.permits(), Math.max(0, limit.permits() - used), reset, retryAfter);
    }

    /** Until the previous window's weight has decayed enough, or else the current window ends. */
    private static Duration retryAfterWindow(RateLimit limit, long[] state, long permits, long intoWindow, long perMillis) {
        long room = limit.permits() - permits - state[1];
        if (room >= 0 && state[2] > 0) {
            // previous * (per - t) / per <= room  <=>  t >= per - room * per / previous
            long t = perMillis - (room * perMillis) / state[2];
            if (t > intoWindow && t < perMillis) {
                return Duration.ofMillis(t - intoWindow);
            }
        }
        return Duration.ofMillis(perMillis - intoWindow);
    }

    private static long windowStart(RateLimit limit, long now) {
        long per = limit.per().toMillis();
        return now - Math.floorMod(now, per);
    }

    private static long multiplyCapped(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        return high != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
