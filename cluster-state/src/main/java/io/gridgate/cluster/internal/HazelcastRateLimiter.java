package io.gridgate.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.gridgate.cluster.RateLimiter;
import io.gridgate.cluster.ratelimit.RateDecision;
import io.gridgate.cluster.ratelimit.RateLimit;
import io.gridgate.cluster.ratelimit.RateLimitState;
import io.gridgate.cluster.ratelimit.RateSnapshot;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Rate-limit counters in the {@code gridgate.ratelimits} map, updated only by entry processors. */
final class HazelcastRateLimiter implements RateLimiter {

    static final String COUNTERS = "gridgate.ratelimits";

    private final IMap<String, RateLimitState> counters;

    private final OperationTimer timer;

    HazelcastRateLimiter(HazelcastInstance hazelcast, OperationTimer timer) {
        this.timer = timer;
        this.counters = hazelcast.getMap(COUNTERS);
    }

    @Override
    public CompletionStage<RateDecision> tryAcquire(String key, List<RateLimit> limits, int permits) {
        return timer.time("rate_limit.acquire", counters.submitToKey(key, new RateLimitProcessor(limits, permits, false)))
                .thenApply(Lease::decision);
    }

    @Override
    public CompletionStage<Lease> lease(String key, List<RateLimit> limits, int wanted) {
        return timer.time("rate_limit.lease", counters.submitToKey(key, new RateLimitProcessor(limits, wanted, true)));
    }

    /** Not timed: the operation metrics describe the traffic's grid calls, not an operator's reads. */
    @Override
    public CompletionStage<RateSnapshot> peek(String key, List<RateLimit> limits) {
        return Futures.direct(counters.submitToKey(key, new RatePeekProcessor(limits)));
    }
}
