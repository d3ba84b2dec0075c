package io.gridgate.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import io.gridgate.cluster.RateLimiter.Lease;
import io.gridgate.cluster.ratelimit.RateDecision;
import io.gridgate.cluster.ratelimit.RateLimit;
import io.gridgate.cluster.ratelimit.RateLimitState;

import java.io.Serial;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Charges a key's counters on its partition owner, with the owner's clock, so every node sees one
 * sequence of decisions. The backup receives the resulting state rather than re-deciding with its
 * own clock, and nothing is written when nothing was admitted.
 */
final class RateLimitProcessor implements EntryProcessor<String, RateLimitState, Lease> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final List<RateLimit> limits;
    private final int wanted;
    private final boolean partial;
    private transient RateLimitState written;

    /** @param partial grant fewer than {@code wanted} when that is all there is (leases) */
    RateLimitProcessor(List<RateLimit> limits, int wanted, boolean partial) {
        this.limits = List.copyOf(limits);
        this.wanted = wanted;
        this.partial = partial;
    }

    @Override
    public Lease process(Map.Entry<String, RateLimitState> entry) {
        long now = System.currentTimeMillis();
        RateLimitState state = entry.getValue();
        if (state == null || !state.fits(limits)) {
            state = RateLimitState.initial(limits, now);
        }
        int granted = wanted;
        RateDecision decision = state.tryAcquire(limits, wanted, now);
        if (!decision.allowed() && partial && decision.remaining() > 0) {
            granted = (int) Math.min(wanted, decision.remaining());
            decision = state.tryAcquire(limits, granted, now);
        }
        if (!decision.allowed()) {
            return new Lease(0, decision);
        }
        ((ExtendedMapEntry<String, RateLimitState>) entry)
                .setValue(state, RateLimitState.retention(limits).toMillis(), TimeUnit.MILLISECONDS);
        written = state;
        return new Lease(granted, decision);
    }

    @Override
    public EntryProcessor<String, RateLimitState, Lease> getBackupProcessor() {
        return written == null ? null : new CopyState(written, RateLimitState.retention(limits).toMillis());
    }

    /** Puts the primary's result on the backup as it is. */
    private record CopyState(RateLimitState state, long ttlMillis) implements EntryProcessor<String, RateLimitState, Lease> {

        @Override
        public Lease process(Map.Entry<String, RateLimitState> entry) {
            ((ExtendedMapEntry<String, RateLimitState>) entry).setValue(state, ttlMillis, TimeUnit.MILLISECONDS);
            return null;
        }

        @Override
        public EntryProcessor<String, RateLimitState, Lease> getBackupProcessor() {
            return null;
        }
    }
}
