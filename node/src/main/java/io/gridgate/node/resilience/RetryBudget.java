package io.gridgate.node.resilience;

import io.gridgate.node.config.RetryBudgetConfig;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Caps one node's retries to one upstream at a share of its requests over the last ten seconds,
 * plus a small allowance per second so a quiet upstream can still be retried. Each one-second
 * bucket packs its second and both counts into one long, so counting is a lock-free CAS and a new
 * second resets a bucket in the same step.
 */
public final class RetryBudget {

    static final int WINDOW_SECONDS = 10;
    private static final int COUNT_BITS = 20;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
    private static final long SECOND_MASK = (1L << (64 - 2 * COUNT_BITS)) - 1;

    private final int percent;
    private final long allowance;
    private final LongSupplier nanoTime;
    private final long origin;
    private final AtomicLongArray buckets = new AtomicLongArray(WINDOW_SECONDS);

    RetryBudget(RetryBudgetConfig config, LongSupplier nanoTime) {
        this.percent = config.percent();
        this.allowance = (long) config.minRetriesPerSecond() * WINDOW_SECONDS;
        this.nanoTime = nanoTime;
        this.origin = nanoTime.getAsLong();
    }

    public static RetryBudget of(RetryBudgetConfig config) {
        return new RetryBudget(config, System::nanoTime);
    }

    /** Counts a first try, which earns the upstream a share of a retry. */
    public void onRequest() {
        add(second(), 1, 0);
    }

    /**
     * Spends one retry if the budget has room: retries in the window stay below
     * {@code percent} of requests plus the per-second allowance.
     */
    public boolean tryRetry() {
        long now = second();
        long stamp = now & SECOND_MASK;
        long requests = 0;
        long retries = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            long bucket = buckets.get(i);
            if (((stamp - secondOf(bucket)) & SECOND_MASK) < WINDOW_SECONDS) {
                requests += requestsOf(bucket);
                retries += retriesOf(bucket);
            }
        }
        if ((retries + 1) * 100 > requests * percent + allowance * 100) {
            return false;
        }
        add(now, 0, 1);
        return true;
    }

    private void add(long second, int requests, int retries) {
        int index = (int) (second % WINDOW_SECONDS);
        long stamp = second & SECOND_MASK;
        while (true) {
            long bucket = buckets.get(index);
            long updated = secondOf(bucket) == stamp
                    ? pack(stamp, requestsOf(bucket) + requests, retriesOf(bucket) + retries)
                    : pack(stamp, requests, retries);
            if (buckets.compareAndSet(index, bucket, updated)) {
                return;
            }
        }
    }

    private long second() {
        // Offset by a window, so that untouched buckets (second 0) count as long past.
        return TimeUnit.NANOSECONDS.toSeconds(nanoTime.getAsLong() - origin) + WINDOW_SECONDS;
    }

    private static long pack(long second, long requests, long retries) {
        return (second << (2 * COUNT_BITS)) | (Math.min(requests, COUNT_MASK) << COUNT_BITS) | Math.min(retries, COUNT_MASK);
    }

    private static long secondOf(long bucket) {
        return bucket >>> (2 * COUNT_BITS);
    }

    private static long requestsOf(long bucket) {
        return (bucket >>> COUNT_BITS) & COUNT_MASK;
    }

    private static long retriesOf(long bucket) {
        return bucket & COUNT_MASK;
    }
}
