package io.gridgate.node.ratelimit;

import io.gridgate.cluster.RateLimiter;
import io.gridgate.cluster.ratelimit.RateDecision;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Leased mode: a node takes {@code leaseSize} permits of a key from the grid at once and spends them
 * locally, so most requests make no grid call. Permits are charged at the grid when leased, so the
 * cluster never admits more than the limits; a lease unused within a second lapses, which can only
 * under-admit (by at most nodes x lease size). While the grid has no permits left, a node refuses
 * locally until the grid's retry-after time rather than asking again for every request.
 */
final class LeasedPermits {

    /** Bound on keys tracked per node; past it, lapsed entries are swept. */
    static final int MAX_KEYS = 100_000;
    private static final long LEASE_LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RateLimiter limiter;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    LeasedPermits(RateLimiter limiter) {
        this.limiter = limiter;
    }

    CompletableFuture<RateDecision> acquire(String key, RateLimitPolicy policy) {
        if (slots.size() >= MAX_KEYS) {
            long now = System.nanoTime();
            slots.values().removeIf(slot -> slot.lapsed(now));
        }
        return slots.computeIfAbsent(key, k -> new Slot(k, policy)).acquire();
    }

    /** The local share of one key. */
    private final class Slot {
        private final String key;
        private final RateLimitPolicy policy;
        private long tokens;
        private long expiresAt;
        private long deniedUntil;
        private RateDecision last;
        private CompletableFuture<Void> refill;

        Slot(String key, RateLimitPolicy policy) {
            this.key = key;
            this.policy = policy;
        }

        synchronized boolean lapsed(long now) {
            return refill == null && now - expiresAt > 0 && now - deniedUntil > 0;
        }

        synchronized CompletableFuture<RateDecision> acquire() {
            long now = System.nanoTime();
            if (last != null && now - deniedUntil < 0) {
                return CompletableFuture.completedFuture(denied(now));
            }
            if (tokens > 0 && now - expiresAt < 0) {
                tokens--;
                return CompletableFuture.completedFuture(new RateDecision(true, last.limitIndex(), last.limit(),
                        last.remaining() + tokens, last.reset(), Duration.ZERO));
            }
            CompletableFuture<Void> waiting = refill;
            if (waiting == null) {
                // Published before the lease is asked for: the answer may arrive on this very thread,
                // which then clears the field again before this method reads it.
                CompletableFuture<Void> pending = new CompletableFuture<>();
                refill = pending;
                waiting = pending;
                limiter.lease(key, policy.limits(), policy.config().leaseSize()).toCompletableFuture()
                        .orTimeout(policy.config().gridTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .whenComplete((lease, error) -> {
                            leased(lease);
                            if (error != null) {
                                pending.completeExceptionally(new GridUnavailable(error));
                            } else {
                                pending.complete(null);
                            }
                        });
            }
            return waiting.thenCompose(done -> acquire());
        }

        private synchronized void leased(RateLimiter.Lease lease) {
            refill = null;
            if (lease == null) {
                return;
            }
            long now = System.nanoTime();
            last = lease.decision();
            if (lease.granted() > 0) {
                tokens = lease.granted();
                expiresAt = now + LEASE_LIFETIME_NANOS;
            } else {
                tokens = 0;
                deniedUntil = now + Math.max(1, lease.decision().retryAfter().toNanos());
            }
        }

        private RateDecision denied(long now) {
            return new RateDecision(false, last.limitIndex(), last.limit(), 0, last.reset(),
                    Duration.ofNanos(Math.max(0, deniedUntil - now)));
        }
    }

    /** The grid did not answer in time; the policy's onGridError decides. */
    static final class GridUnavailable extends RuntimeException {
        GridUnavailable(Throwable cause) {
            super(cause);
        }
    }
}
