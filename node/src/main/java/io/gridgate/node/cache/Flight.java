package io.gridgate.node.cache;

import io.gridgate.cluster.CachedResponse;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One key's miss on this node, which the requests that miss the same key meanwhile wait for
 * instead of going upstream themselves. Lock-free: a waiter that joins as the flight lands still
 * hears of it, and each waiter hears at most once, from the flight or from its own timeout.
 */
final class Flight {

    private final String claimant;
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private volatile boolean landed;
    private volatile Landed result;

    /**
     * What the flight brought: the response, the key it is stored under (which a waiter checks
     * against its own) and the purge generation it was fetched in (a purge since voids it).
     */
    record Landed(String key, CachedResponse response, long purgeGeneration) {
    }

    /** A waiting request; {@link #resume} runs once, with the result or, on timeout, null. */
    static final class Waiter {
        private final AtomicBoolean resumed = new AtomicBoolean();
        private final Consumer<Landed> resume;

        Waiter(Consumer<Landed> resume) {
            this.resume = resume;
        }

        /** False when it was resumed already. */
        boolean resume(Landed landed) {
            if (resumed.compareAndSet(false, true)) {
                resume.accept(landed);
                return true;
            }
            return false;
        }
    }

    /** @param claimant the flight's own name in the grid's claims, so two flights of one node never share a claim */
    Flight(String claimant) {
        this.claimant = claimant;
    }

    String claimant() {
        return claimant;
    }

    /** Waits for the flight; resumes at once when it has landed already. */
    void join(Waiter waiter) {
        waiters.add(waiter);
        if (landed) {
            drain();
        }
    }

    /** The result for every waiter: a response they may serve, or null to send them upstream. */
    void land(Landed outcome) {
        result = outcome;
        landed = true;
        drain();
    }

    private void drain() {
        Landed landed = result;
        for (Waiter waiter = waiters.poll(); waiter != null; waiter = waiters.poll()) {
            waiter.resume(landed);
        }
    }
}
