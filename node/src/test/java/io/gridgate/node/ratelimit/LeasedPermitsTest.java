package io.gridgate.node.ratelimit;

import io.gridgate.cluster.RateLimiter;
import io.gridgate.cluster.ratelimit.RateDecision;
import io.gridgate.cluster.ratelimit.RateLimit;
import io.gridgate.cluster.ratelimit.RateLimitState;
import io.gridgate.cluster.ratelimit.RateSnapshot;
import io.gridgate.node.config.RateLimitConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leases against a grid that answers on the calling thread, as a grid does when the key's owner is
 * this member and the operation finishes before the call returns.
 */
class LeasedPermitsTest {

    /** The same arithmetic the grid runs, answered at once, counting round trips. */
    private static final class ImmediateGrid implements RateLimiter {
        final AtomicInteger leases = new AtomicInteger();
        private RateLimitState state;

        @Override
        public CompletionStage<RateDecision> tryAcquire(String key, List<RateLimit> limits, int permits) {
            throw new UnsupportedOperationException("leased mode only leases");
        }

        @Override
        public synchronized CompletionStage<Lease> lease(String key, List<RateLimit> limits, int wanted) {
            leases.incrementAndGet();
            long now = System.currentTimeMillis();
            if (state == null) {
                state = RateLimitState.initial(limits, now);
            }
            RateDecision decision = state.tryAcquire(limits, wanted, now);
            int granted = wanted;
            if (!decision.allowed() && decision.remaining() > 0) {
                granted = (int) decision.remaining();
                decision = state.tryAcquire(limits, granted, now);
            }
            return CompletableFuture.completedFuture(new Lease(decision.allowed() ? granted : 0, decision));
        }

        @Override
        public CompletionStage<RateSnapshot> peek(String key, List<RateLimit> limits) {
            throw new UnsupportedOperationException("leasing never peeks");
        }
    }

    private static RateLimitPolicy policy(int permits, int leaseSize) {
        return new RateLimitPolicy(new RateLimitConfig("p", List.of(),
                List.of(new RateLimitConfig.Limit(RateLimitConfig.Limit.Algorithm.TOKEN_BUCKET, permits, Duration.ofHours(1), permits)),
                RateLimitConfig.Mode.LEASED, leaseSize, RateLimitConfig.OnGridError.DENY, Duration.ofSeconds(1), false), "r");
    }

    @Test
    void spendsEachLeaseLocallyAndAsksTheGridOncePerLease() {
        ImmediateGrid grid = new ImmediateGrid();
        LeasedPermits permits = new LeasedPermits(grid);
        RateLimitPolicy policy = policy(1000, 10);

        for (int i = 0; i < 95; i++) {
            assertThat(permits.acquire("k", policy).join().allowed()).isTrue();
        }

        assertThat(grid.leases.get()).isEqualTo(10);
    }

    @Test
    void neverAdmitsMoreThanTheGridGrantsAndThenRefusesLocally() {
        ImmediateGrid grid = new ImmediateGrid();
        LeasedPermits permits = new LeasedPermits(grid);
        RateLimitPolicy policy = policy(25, 10);

        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            if (permits.acquire("k", policy).join().allowed()) {
                admitted++;
            }
        }

        assertThat(admitted).isEqualTo(25);
        assertThat(grid.leases.get()).as("refused locally until the grid's retry-after").isEqualTo(4);
    }
}
