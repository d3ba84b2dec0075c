package io.gridgate.cluster.internal;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import io.gridgate.cluster.ratelimit.RateLimit;
import io.gridgate.cluster.ratelimit.RateLimitState;
import io.gridgate.cluster.ratelimit.RateSnapshot;

import java.io.Serial;
import java.util.List;
import java.util.Map;

/**
 * Reads a key's counters on its partition owner with the owner's clock, the clock its decisions
 * use, so refills and window changes are applied as the next decision would apply them. It is
 * {@link ReadOnly}: Hazelcast refuses any write from it, and it has no backup to run.
 */
final class RatePeekProcessor implements EntryProcessor<String, RateLimitState, RateSnapshot>, ReadOnly {

    @Serial
    private static final long serialVersionUID = 1L;

    private final List<RateLimit> limits;

    RatePeekProcessor(List<RateLimit> limits) {
        this.limits = List.copyOf(limits);
    }

    @Override
    public RateSnapshot process(Map.Entry<String, RateLimitState> entry) {
        long now = System.currentTimeMillis();
        RateLimitState state = entry.getValue();
        // A state made for other limits is reset by the next decision, so it is read as that would find it.
        boolean exists = state != null && state.fits(limits);
        RateLimitState standing = exists ? state : RateLimitState.initial(limits, now);
        return new RateSnapshot(exists, now, standing.peek(limits, now));
    }

    @Override
    public EntryProcessor<String, RateLimitState, RateSnapshot> getBackupProcessor() {
        return null;
    }
}
